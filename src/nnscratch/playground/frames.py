"""What the page draws, as two websocket messages per frame.

1. A small JSON text: epoch, losses, accuracies, the weights (for the links), the layout
   of the binary message and the scale of each heatmap.
2. One binary message of uint8 heatmaps, each ``GRID x GRID``, row 0 at the top
   (x2 = +6) and column 0 at the left (x1 = -6), in this order:

   - the decision boundary's class plane (the winning class index per pixel),
   - its confidence plane (0 for a coin toss between all classes, 255 for certainty),
   - one plane per input feature, then one per hidden neuron, layer by layer:
     ``128 + 127 * value / scale``, where ``scale`` (in the JSON) is the largest
     ``|value|`` on the plane, so 0 is mid-grey whatever the activation.

All the planes come from one forward pass of the grid's points through the network.
"""

import functools

import numpy as np

from nnscratch.layers import Affine
from nnscratch.playground.datasets import DOMAIN, input_features
from nnscratch.playground.model import hidden_outputs

GRID = 48  # pixels per side of every heatmap


def grid_points(resolution=GRID):
    """Pixel centres of the plane [-6, 6]^2, row-major from the top-left.

    Returns
    -------
    ndarray of float64, shape (resolution * resolution, 2)
        Columns (x1, x2).

    Examples
    --------
    >>> grid_points(2)
    array([[-3.,  3.],
           [ 3.,  3.],
           [-3., -3.],
           [ 3., -3.]])
    """
    step = 2.0 * DOMAIN / resolution
    centres = -DOMAIN + step * (np.arange(resolution) + 0.5)
    x1, x2 = np.meshgrid(centres, centres[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


def signed_planes(values):
    """Columns of ``values`` as uint8 planes around 128, and the scale used for each.

    Parameters
    ----------
    values : ndarray, shape (P, K)
        K heatmaps of P pixels each.

    Returns
    -------
    planes : ndarray of uint8, shape (K, P)
        ``round(128 + 127 * values / scale)``, one row per column of ``values``.
    scales : ndarray, shape (K,)
        ``max |values|`` of each column (1 where a column is all 0).

    Examples
    --------
    >>> planes, scales = signed_planes(np.array([[-2.0, 0.0], [0.0, 0.0], [1.0, 0.0]]))
    >>> planes
    array([[  1, 128, 192],
           [128, 128, 128]], dtype=uint8)
    >>> scales
    array([2., 1.])
    """
    scales = np.abs(values).max(axis=0)
    scales[scales == 0] = 1.0
    return np.rint(128.0 + 127.0 * (values / scales).T).astype(np.uint8), scales


def boundary_planes(probabilities):
    """The class plane and the confidence plane from softmax outputs (P, C): two uint8 arrays (P,).

    The confidence is the top probability rescaled from ``1 / C`` (a guess) to 1, as 0 to 255.
    """
    n_classes = probabilities.shape[1]
    top = probabilities.max(axis=1)
    confidence = (top - 1.0 / n_classes) / (1.0 - 1.0 / n_classes)
    return probabilities.argmax(axis=1).astype(np.uint8), np.rint(255.0 * confidence).astype(np.uint8)


@functools.lru_cache(maxsize=8)
def _grid_inputs(resolution, features):
    """The grid's input features, (resolution ** 2, len(features)) float64: the same every frame of a run."""
    inputs = input_features(grid_points(resolution), features)
    inputs.flags.writeable = False  # shared between frames
    return inputs


def heatmaps(model, features, resolution=GRID):
    """All planes of one frame from one forward pass of the grid.

    Parameters
    ----------
    model : Sequential
    features : sequence of str
        The input features the model takes.
    resolution : int, default=GRID

    Returns
    -------
    data : bytes
        ``(2 + len(features) + total hidden units) * resolution ** 2`` bytes, in the module's order.
    scales : dict
        ``{"features": [float, ...], "neurons": [[float, ...] per hidden layer]}``.
    """
    inputs = _grid_inputs(resolution, tuple(features))
    hidden, probabilities = hidden_outputs(model, inputs)
    planes, scales = signed_planes(np.concatenate([inputs, *hidden], axis=1))
    ends = np.cumsum([inputs.shape[1]] + [layer.shape[1] for layer in hidden])
    feature_scales, *neuron_scales = np.split(scales, ends[:-1])
    data = np.concatenate([*boundary_planes(probabilities), planes.ravel()]).tobytes()
    return data, {"features": feature_scales.tolist(), "neurons": [layer.tolist() for layer in neuron_scales]}


def weights_of(model, digits=4):
    """Every Affine layer's ``W`` (in, out) and ``b`` (out,) as nested lists rounded to ``digits``, for the links."""
    affines = [layer for layer in model.layers if isinstance(layer, Affine)]
    return [{"W": np.round(a.W, digits).tolist(), "b": np.round(a.b, digits).tolist()} for a in affines]


def encode_frame(metrics, model, features, resolution=GRID):
    """The two messages of one frame.

    Parameters
    ----------
    metrics : dict
        ``run``, ``epoch``, ``loss_train``, ``loss_test``, ``accuracy_train``, ``accuracy_test``.
    model : Sequential
    features : sequence of str
    resolution : int, default=GRID

    Returns
    -------
    message : dict
        The JSON message, ``{"type": "frame", ...}``, ready for ``json.dumps``; ``diverged`` is true once the loss or a
        weight is NaN or infinite, and such numbers are sent as null (JSON has no NaN).
    data : bytes
        The heatmaps.
    """
    diverged = not np.isfinite(metrics["loss_train"]) or not all(np.isfinite(p).all() for p in model.params.values())
    with np.errstate(invalid="ignore", over="ignore"):  # a diverged network's planes are noise; the page says so
        data, scales = heatmaps(model, features, resolution)
    message = {"type": "frame", **metrics, "diverged": diverged, "grid": resolution, "scales": scales}
    message["weights"] = weights_of(model)
    return finite_or_null(message), data


def finite_or_null(value):
    """``value`` with every NaN or infinity (in nested lists and dicts) replaced by None, JSON's null.

    Examples
    --------
    >>> finite_or_null({"loss": float("nan"), "W": [[1.0, float("inf")]]})
    {'loss': None, 'W': [[1.0, None]]}
    """
    if isinstance(value, dict):
        return {key: finite_or_null(item) for key, item in value.items()}
    if isinstance(value, list):
        return [finite_or_null(item) for item in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
