"""A stack of any layers, any depth (SPEC 1.5's general layer stack)."""

import json

from nnscratch import io
from nnscratch.layers import LAYERS, LOSSES, Layer, layer_class
from nnscratch.models.network import METADATA_KEY, Network

# The layer registry's tables under their earlier names: what from_file can rebuild.
LAYER_CLASSES = LAYERS
LOSS_CLASSES = LOSSES


class Sequential(Network):
    """Layers applied in the order given, then a loss layer.

    Parameters are discovered by walking the layers and named
    ``layers.<index>.<attr>`` (``layers.0.W``), which is how they appear in
    ``params``, gradients and saved files.

    Parameters
    ----------
    *layers : Layer
        The layers, input side first.
    loss : Layer, default=SoftmaxWithLoss()
    reg : float, default=0.0
        L2 strength on weight matrices.

    Examples
    --------
    >>> import numpy as np
    >>> from nnscratch import Affine, Relu, Sequential
    >>> rng = np.random.default_rng(0)
    >>> model = Sequential(Affine(rng.normal(size=(2, 4)), np.zeros(4)), Relu(),
    ...                    Affine(rng.normal(size=(4, 3)), np.zeros(3)))
    >>> sorted(model.params)
    ['layers.0.W', 'layers.0.b', 'layers.2.W', 'layers.2.b']
    >>> model.predict(np.ones((5, 2))).shape
    (5, 3)
    """

    def __init__(self, *layers, loss=None, reg=0.0):
        for index, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential takes Layer objects; argument {index} is {type(layer).__name__}")
        super().__init__(layers, loss if loss is not None else LOSS_CLASSES["SoftmaxWithLoss"](), reg)

    def metadata(self):
        return {
            **super().metadata(),
            "layers": [{"class": type(layer).__name__, "config": layer.config()} for layer in self.layers],
            "loss": type(self.loss_layer).__name__,
        }

    @classmethod
    def from_file(cls, path):
        """Rebuild a ``Sequential`` saved with :meth:`save`: architecture and weights.

        Raises
        ------
        ValueError
            Naming ``path`` and what is wrong, for a file that is not such a save:
            no or malformed architecture, an unknown layer, missing weights, weights
            that are not finite real numbers or do not fit the layer.
        """
        arrays = io.load_npz(path)
        meta = _read_metadata(arrays, path, cls.__name__)
        built = [_build_layer(index, spec, arrays, path) for index, spec in enumerate(meta["layers"])]
        try:
            model = cls(*built, loss=layer_class(meta["loss"], LOSSES)(), reg=meta["reg"])
        except (TypeError, ValueError) as error:
            raise ValueError(f"{path}: the stored loss or reg is not usable ({error})") from None
        return model.load_state_arrays({name: arrays[name] for name in model.state_arrays()}, source=str(path))

    def __repr__(self):
        lines = [f"  ({index}): {layer!r}" for index, layer in enumerate(self.layers)]
        lines.append(f"  loss: {self.loss_layer!r}")
        if self.reg:
            lines.append(f"  reg: {self.reg}")
        lines.append(f"  parameters: {self.num_parameters():,}")
        return "Sequential(\n" + "\n".join(lines) + "\n)"


def _read_metadata(arrays, path, class_name):
    """The architecture :meth:`Sequential.save` stored, its structure checked."""
    stored = arrays.get(METADATA_KEY)
    if stored is None or stored.dtype.kind != "U" or stored.ndim != 0:
        raise ValueError(f"{path} was not written by Sequential.save (no architecture stored)")
    try:
        meta = json.loads(str(stored))
    except (json.JSONDecodeError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else error
        raise ValueError(f"{path}: the stored architecture is not valid JSON ({reason})") from None
    if not isinstance(meta, dict) or meta.get("class") != class_name:
        found = meta.get("class") if isinstance(meta, dict) else type(meta).__name__
        raise ValueError(f"{path} holds a {found}, not a {class_name}")
    layers = meta.get("layers")
    good = isinstance(layers, list) and all(
        isinstance(spec, dict) and isinstance(spec.get("class"), str) and isinstance(spec.get("config"), dict)
        for spec in layers
    )
    if not good or not isinstance(meta.get("loss"), str) or "reg" not in meta:
        raise ValueError(f"{path}: the stored architecture needs 'layers' ({{class, config}} each), 'loss' and 'reg'")
    return meta


def _build_layer(index, spec, arrays, path):
    """Layer ``index`` of a saved ``Sequential``, from its class, config and stored weights."""
    try:
        layer_cls = layer_class(spec["class"])
    except ValueError as error:
        raise ValueError(f"{path}: layer {index}: {error}") from None
    weights = {}
    for attr in layer_cls.param_names + layer_cls.buffer_names:
        if f"layers.{index}.{attr}" not in arrays:
            raise ValueError(f"{path}: layer {index} ({spec['class']}) has no stored {attr!r}")
        weights[attr] = arrays[f"layers.{index}.{attr}"]
    try:
        return layer_cls(**weights, **spec["config"])
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path}: layer {index} ({spec['class']}) cannot be rebuilt ({error})") from None
