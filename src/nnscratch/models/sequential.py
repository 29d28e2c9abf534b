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
        """Rebuild a ``Sequential`` saved with :meth:`save`: architecture and weights."""
        arrays = io.load_npz(path)
        if METADATA_KEY not in arrays:
            raise ValueError(f"{path} was not written by Sequential.save (no architecture stored)")
        meta = json.loads(str(arrays[METADATA_KEY]))
        if meta.get("class") != cls.__name__:
            raise ValueError(f"{path} holds a {meta.get('class')}, not a {cls.__name__}")
        built = []
        for index, spec in enumerate(meta["layers"]):
            layer_cls = layer_class(spec["class"])
            names = layer_cls.param_names + layer_cls.buffer_names
            weights = {attr: arrays[f"layers.{index}.{attr}"] for attr in names}
            built.append(layer_cls(**weights, **spec["config"]))
        return cls(*built, loss=layer_class(meta["loss"], LOSSES)(), reg=meta["reg"])

    def __repr__(self):
        lines = [f"  ({index}): {layer!r}" for index, layer in enumerate(self.layers)]
        lines.append(f"  loss: {self.loss_layer!r}")
        if self.reg:
            lines.append(f"  reg: {self.reg}")
        lines.append(f"  parameters: {self.num_parameters():,}")
        return "Sequential(\n" + "\n".join(lines) + "\n)"
