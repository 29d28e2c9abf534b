"""What every network shares: forward through its layers, loss, backprop.

``gradient`` is the lectures' backprop made visible: run forward, then call
``backward`` on each layer in reverse order, and collect each layer's
parameter gradients under the network's names for them.
"""

import copy
import json

import numpy as np

from nnscratch import backend, io
from nnscratch.numgrad import numerical_gradient
from nnscratch.validation import as_numeric_array, labels_to_indices

METADATA_KEY = "__nnscratch__"


class Network:
    """Layers applied in order, then a loss layer; optional L2 regularisation.

    Subclasses choose the parameter names by overriding :meth:`param_name`.

    Parameters
    ----------
    layers : list of Layer
    loss_layer : Layer
        Takes ``(scores, t)`` in ``forward`` and returns a float.
    reg : float, default=0.0
        L2 strength: the loss gains ``0.5 * reg * sum(W ** 2)`` for every
        weight matrix (not biases) and each weight gradient gains ``reg * W``.
    """

    def __init__(self, layers, loss_layer, reg=0.0):
        if reg < 0:
            raise ValueError(f"reg must be >= 0, got {reg!r}")
        self.layers = list(layers)
        self.loss_layer = loss_layer
        self.reg = float(reg)
        if self.layers:
            self.layers[0].needs_input_grad = False
        # The layers are fixed from here on; the training step reads this list instead of walking them.
        self._slot_list = tuple(self._slots())

    def param_name(self, index, layer, attr):
        """The public name of ``layer.attr``; ``layers.0.W`` by default."""
        return f"layers.{index}.{attr}"

    def _slots(self):
        """Yield ``(name, layer, attr, is_weight)`` for every parameter."""
        for index, layer in enumerate(self.layers):
            for attr in layer.param_names:
                yield self.param_name(index, layer, attr), layer, attr, attr in layer.weight_names

    def _buffer_slots(self):
        """Yield ``(name, layer, attr)`` for every buffer (running statistics)."""
        for index, layer in enumerate(self.layers):
            for attr in layer.buffer_names:
                yield self.param_name(index, layer, attr), layer, attr

    @property
    def params(self):
        """dict[str, ndarray]: the layers' own parameter arrays (update them in place)."""
        return {name: getattr(layer, attr) for name, layer, attr, _ in self._slots()}

    @property
    def dtype(self):
        """The dtype of the parameters (all share one)."""
        return next(iter(self.params.values())).dtype

    def forward(self, x):
        """Scores (N, C) for a checked batch ``x``; the fast path for trainers."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def predict(self, x):
        """Class scores (N, C) for inputs ``x`` (N, D); apply softmax for probabilities.

        ``x`` may live on the host or on the model's device; the scores live on the model's device.
        """
        x = as_numeric_array(x, "x")
        return self.forward(self.array_module.asarray(x, dtype=self.dtype))

    @property
    def array_module(self):
        """``numpy`` or ``cupy``: where the parameters live (see :meth:`to`)."""
        return backend.get_array_module(*self.params.values())

    def regularization_loss(self):
        """``0.5 * reg * sum(W ** 2)`` over the weight matrices."""
        if self.reg == 0:
            return 0.0
        weights = (getattr(layer, attr) for _, layer, attr, is_weight in self._slots() if is_weight)
        return 0.5 * self.reg * sum(float((W**2).sum()) for W in weights)

    def loss(self, x, t):
        """Data loss on ``(x, t)`` plus the L2 term; ``t`` is (N,) indices or (N, C) one-hot."""
        return self.loss_layer.forward(self.predict(x), t) + self.regularization_loss()

    def accuracy(self, x, t):
        """Fraction of rows of ``x`` whose highest score is the label in ``t``."""
        scores = self.predict(x)
        labels = backend.get_array_module(scores).asarray(labels_to_indices(t, scores.shape[0], scores.shape[1]))
        return float((scores.argmax(axis=1) == labels).mean())

    def gradient(self, x, t):
        """Gradients of :meth:`loss` by backprop, a dict keyed like ``params``."""
        self.loss(x, t)
        return self.backward()

    def backward(self):
        """Backprop from the last loss computed; gradients keyed like ``params``."""
        dout = self.loss_layer.backward(1.0)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        grads = {}
        for name, layer, attr, is_weight in self._slot_list:
            grad = getattr(layer, "d" + attr)
            grads[name] = grad + self.reg * getattr(layer, attr) if is_weight and self.reg else grad
        return grads

    def numerical_gradient(self, x, t, h=1e-4):
        """Gradients of :meth:`loss` by central differences, keyed like ``params`` (slow)."""
        return {name: numerical_gradient(lambda _: self.loss(x, t), param, h) for name, param in self.params.items()}

    def train(self, mode=True):
        """Put every layer in training mode (``mode=True``) or evaluation mode."""
        for layer in self.layers:
            layer.train(mode)
        return self

    def eval(self):
        """Put every layer in evaluation mode."""
        return self.train(False)

    def to(self, device):
        """Move parameters and buffers to ``device`` ("cpu" or "gpu"), in place; return self."""
        for _, layer, attr, _ in self._slots():
            setattr(layer, attr, backend.to_device(getattr(layer, attr), device))
        for _, layer, attr in self._buffer_slots():
            setattr(layer, attr, backend.to_device(getattr(layer, attr), device))
        return self

    def astype(self, dtype):
        """Return a copy of the network with parameters of ``dtype``."""
        clone = copy.deepcopy(self)
        for _, layer, attr, _ in clone._slots():
            setattr(layer, attr, getattr(layer, attr).astype(dtype))
        for _, layer, attr in clone._buffer_slots():
            setattr(layer, attr, getattr(layer, attr).astype(dtype))
        return clone

    def metadata(self):
        """JSON-able description stored beside the weights in :meth:`save`."""
        return {"class": type(self).__name__, "reg": self.reg}

    def state_arrays(self):
        """dict[str, ndarray]: parameters and buffers, everything :meth:`save` stores."""
        arrays = dict(self.params)
        arrays.update({name: getattr(layer, attr) for name, layer, attr in self._buffer_slots()})
        return arrays

    def load_state_arrays(self, arrays, source="state"):
        """Copy arrays named like :meth:`state_arrays` into the network, checking names and shapes."""
        expected = self.state_arrays()
        if set(arrays) != set(expected):
            raise ValueError(f"{source} holds arrays {sorted(arrays)}, but this network has {sorted(expected)}")
        for name, current in expected.items():
            if arrays[name].shape != current.shape:
                raise ValueError(f"{source}: {name} has shape {arrays[name].shape}, expected {current.shape}")
        for name, param in self.params.items():
            param[...] = backend.get_array_module(param).asarray(arrays[name])
        for name, layer, attr in self._buffer_slots():
            current = getattr(layer, attr)
            setattr(layer, attr, backend.get_array_module(current).asarray(arrays[name], dtype=current.dtype))
        return self

    def rng_states(self):
        """dict: the bit-generator state of every layer with its own ``rng`` (Dropout)."""
        return {str(i): layer.rng.bit_generator.state for i, layer in enumerate(self.layers) if hasattr(layer, "rng")}

    def set_rng_states(self, states):
        """Restore what :meth:`rng_states` returned."""
        for index, state in states.items():
            self.layers[int(index)].rng.bit_generator.state = state

    def save(self, path):
        """Write parameters, buffers and :meth:`metadata` to ``path`` (.npz, no pickle, atomic)."""
        arrays = {name: backend.to_numpy(value) for name, value in self.state_arrays().items()}
        arrays[METADATA_KEY] = np.array(json.dumps(self.metadata()))
        return io.save_npz(path, arrays)

    def load(self, path):
        """Copy what :meth:`save` wrote into this network, checking names and shapes."""
        arrays = io.load_npz(path)
        arrays.pop(METADATA_KEY, None)
        return self.load_state_arrays(arrays, source=str(path))

    def num_parameters(self):
        """Total number of scalar parameters."""
        return sum(int(param.size) for param in self.params.values())
