"""What the page asks about the network without changing its run.

- :func:`trace`: one update on one point, stage by stage (forward, loss, backward, update),
  on a copy of the network, so the run goes on as if nothing happened.
- :func:`check_gradients`: :func:`nnscratch.gradcheck` on the current weights.
- :func:`layer_source`: the ``forward`` and ``backward`` code of the layers of one column.
"""

import copy
import inspect
import numbers

import numpy as np

from nnscratch.gradcheck import gradcheck
from nnscratch.layers import Affine
from nnscratch.playground.datasets import input_features
from nnscratch.playground.model import build_optimizer
from nnscratch.validation import Interval

GRADCHECK_POINTS = 8  # numerical gradients cost two losses per parameter: a few points suffice


def _values(array, limit=16):
    """The first ``limit`` values of an array, flattened and rounded, for display."""
    return [round(float(v), 5) for v in np.ravel(array)[:limit]]


def _shape(array):
    return list(np.shape(array))


def trace(session, point, label):
    """Walk one update of the network on the single point ``point`` with class ``label``.

    Parameters
    ----------
    session : Session
    point : sequence of 2 float
        (x1, x2) on the plane.
    label : int
        Its class.

    Returns
    -------
    dict
        ``{"type": "trace", "forward": [...], "loss": {...}, "backward": [...], "update": [...]}``;
        every entry names its layer and gives array shapes and (the first) values.
    """
    model = copy.deepcopy(session.model).train()
    x = input_features(np.asarray([point], dtype=np.float64), session.config["features"])
    t = np.array([int(label)])
    forward, scores = _forward_stage(model, x)
    loss = model.loss_layer.forward(scores, t) + model.regularization_loss()
    probabilities = model.loss_layer.y
    grads = model.backward()
    return {
        "type": "trace",
        "point": [float(point[0]), float(point[1])],
        "label": int(label),
        "input": {"shape": _shape(x), "values": _values(x)},
        "forward": forward,
        "loss": {"value": float(loss), "probabilities": _values(probabilities)},
        "backward": [
            {"index": index, "layer": repr(layer), "grads": {a: _array(g) for a, g in layer.grads.items()}}
            for index, layer in reversed(list(enumerate(model.layers)))
        ],
        "update": _update_stage(model, build_optimizer(session.config), grads),
    }


def _array(array):
    return {"shape": _shape(array), "values": _values(array)}


def _forward_stage(model, x):
    """Each layer's input and output shapes and its first output values; and the scores (1, C)."""
    stages, out = [], x
    for index, layer in enumerate(model.layers):
        new = layer.forward(out)
        stages.append(
            {"index": index, "layer": repr(layer), "in": _shape(out), "out": _shape(new), "values": _values(new)}
        )
        out = new
    return stages, out


def _update_stage(model, optimizer, grads):
    """Apply the optimizer's step (none at learning rate 0) and report what each parameter gained."""
    before = {name: param.copy() for name, param in model.params.items()}
    if optimizer is not None:
        optimizer.update(model.params, grads)
    return [
        {"param": name, "shape": _shape(param), "change": _values(param - before[name])}
        for name, param in model.params.items()
    ]


def check_gradients(session):
    """:func:`nnscratch.gradcheck` on the first training points, in evaluation mode (no dropout noise).

    Returns
    -------
    dict
        ``{"type": "gradcheck", "ok": bool, "params": [{"name", "rel_error", "verdict"}, ...]}``.
    """
    model = copy.deepcopy(session.model).eval()
    n = min(GRADCHECK_POINTS, len(session.t_train))
    report = gradcheck(model, session.inputs_train[:n], session.t_train[:n])
    params = [{"name": name, "rel_error": c.rel_error, "verdict": c.verdict} for name, c in report.items()]
    return {"type": "gradcheck", "ok": report.ok, "worst": report.worst, "params": params}


def _columns(model):
    """Model layer indices grouped by column: column l starts at the l-th Affine."""
    columns = []
    for index, layer in enumerate(model.layers):
        if isinstance(layer, Affine):
            columns.append([])
        columns[-1].append(index)
    return columns


def layer_source(session, column):
    """The source of ``forward`` and ``backward`` of each layer in one column of the network.

    Parameters
    ----------
    session : Session
    column : int
        0 for the first hidden layer, ..., ``len(hidden)`` for the output layer (whose loss
        layer, softmax with cross-entropy, is shown too).

    Returns
    -------
    dict
        ``{"type": "source", "column": int, "layers": [{"layer", "class", "shapes", "forward", "backward"}]}``,
        ``shapes`` giving each parameter's current shape.
    """
    columns = _columns(session.model)
    if isinstance(column, bool) or not isinstance(column, numbers.Integral):
        raise ValueError(f"column expects an integer, got {column!r}")
    Interval(0, len(columns) - 1).check(column, "column")
    layers = [session.model.layers[i] for i in columns[column]]
    if column == len(columns) - 1:
        layers.append(session.model.loss_layer)
    return {
        "type": "source",
        "column": column,
        "layers": [
            {
                "layer": repr(layer),
                "class": f"{type(layer).__module__}.{type(layer).__name__}",
                "shapes": {attr: _shape(value) for attr, value in layer.params.items()},
                "forward": inspect.getsource(type(layer).forward),
                "backward": inspect.getsource(type(layer).backward),
            }
            for layer in layers
        ],
    }
