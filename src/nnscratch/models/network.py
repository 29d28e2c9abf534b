"""What every network shares: the training step ``loss_and_grads`` and its readings.

``loss_and_grads(x, t)`` is the one step everything that trains goes through
(the Trainer, ``fit_full_batch``, ``gradcheck``, the scikit-learn wrapper, the
sweep): forward in training mode, the loss, then the lectures' backprop made
visible, ``backward`` on each layer in reverse order, with each layer's
parameter gradients collected under the network's names for them. The book's
``predict``, ``accuracy``, ``loss``, ``gradient`` and ``numerical_gradient``
are thin readings of the same parts; ``predict`` and ``accuracy`` always run
in evaluation mode, whatever mode the model was left in.
"""

import contextlib
import copy
import functools
import inspect
import json
import math

import numpy as np

from nnscratch import backend, io
from nnscratch.alignment import aligned
from nnscratch.models.params import ParamView
from nnscratch.numgrad import numerical_gradient
from nnscratch.validation import NONNEGATIVE, POSITIVE, as_finite_input, as_numeric_array, labels_to_indices

METADATA_KEY = "__nnscratch__"


def _check_loaded(value, name, shape, source):
    """Raise ValueError unless ``value`` is an array of finite real numbers of ``shape``."""
    dtype = getattr(value, "dtype", None)
    if dtype is None or dtype.kind not in "fiu":
        raise ValueError(f"{source}: {name} holds {dtype or type(value).__name__}; expected real numbers")
    if value.shape != shape:
        raise ValueError(f"{source}: {name} has shape {value.shape}, expected {shape}")
    if dtype.kind == "f" and not bool(backend.get_array_module(value).isfinite(value).all()):
        raise ValueError(f"{source}: {name} holds NaN or infinite values; expected finite numbers")


@functools.cache
def _takes_keyword(layer_class, method, keyword):
    """Whether ``layer_class.method`` accepts ``keyword`` (the package's layers do; a learner's may not).

    False as well when there is no such method, or no signature to read: a network may be built
    with a loss layer it only uses later, or never (``None`` for a network that only predicts).
    """
    function = getattr(layer_class, method, None)
    try:
        return function is not None and keyword in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


@functools.cache
def _scales_by_dout(loss_class):
    """Whether ``loss_class.backward(dout)`` multiplies its gradient by ``dout``.

    The package's loss layers do (tested); the book's ``SoftmaxWithLoss.backward(dout=1)``
    ignores it, as a learner's copy of it may.
    """
    return getattr(getattr(loss_class, "backward", None), "__module__", None) == "nnscratch.layers.losses"


class Network:
    """Layers applied in order, then a loss layer; optional L2 regularisation.

    Subclasses choose the parameter names by overriding :meth:`param_name`.

    Parameters
    ----------
    layers : list of Layer
    loss_layer : Layer
        Takes ``(scores, t)`` in ``forward`` (scores (N, C), t (N,) or (N, C)) and returns the
        loss: a float, or a 0-d array on a GPU. A loss layer whose ``forward`` also takes
        ``labels_checked`` (the package's do) is told when the Trainer has checked ``t`` already.
    reg : float, default=0.0
        L2 strength, the lectures' regularisation and nnscratch's default one:
        the loss gains ``0.5 * reg * sum(W ** 2)`` for every weight matrix
        (not biases) and each weight gradient gains ``reg * W``. (The
        optimizers' ``weight_decay`` is the other, torch-style form; see
        :class:`nnscratch.optim.Optimizer`.)

    Attributes
    ----------
    training : bool
        The mode last set with :meth:`train` / :meth:`eval`.
    """

    def __init__(self, layers, loss_layer, reg=0.0):
        self.layers = list(layers)
        self.loss_layer = loss_layer
        self.reg = NONNEGATIVE.check(reg, "reg")
        self.training = True  # layers start in training mode
        # The first layer's input is data: nobody needs its gradient, so backward asks for none
        # where the layer's backward takes ``input_grad`` (Affine's does; a learner's may not).
        self._skip_input_grad = bool(self.layers) and _takes_keyword(type(self.layers[0]), "backward", "input_grad")
        # The layers are fixed from here on: parameters are discovered once, here, and every
        # reading (params, grads, saving, moving) goes through this list.
        self._slot_list = tuple(self._slots())
        self._params = ParamView(self._slot_list)
        # What backward walks every step: the layers after the first, last first; each gradient's
        # attribute ("dW" for "W"); the weights that reg applies to.
        self._backward_layers = tuple(reversed(self.layers[1:]))
        self._grad_slots = tuple((name, layer, "d" + attr) for name, layer, attr, _ in self._slot_list)
        self._weight_slots = tuple((name, layer, attr) for name, layer, attr, is_weight in self._slot_list if is_weight)

    @property
    def loss_layer(self):
        """Layer: the loss layer; another one may be assigned (what it accepts is looked up again)."""
        return self._loss_layer

    @loss_layer.setter
    def loss_layer(self, layer):
        self._loss_layer = layer
        # Looked up once per loss layer, not every step: a loss layer written the book's way
        # takes (x, t) and checks its labels itself, and its backward ignores dout.
        self._loss_takes_labels_checked = _takes_keyword(type(layer), "forward", "labels_checked")
        self._loss_scales_by_dout = _scales_by_dout(type(layer))

    def param_name(self, index, layer, attr):
        """The public name of ``layer.attr``; ``layers.0.W`` by default."""
        return f"layers.{index}.{attr}"

    def _slots(self, kind="param_names"):
        """Yield ``(name, layer, attr, is_weight)`` for every parameter (or buffer, with ``kind="buffer_names"``).

        The one walk over the model that finds its parameters; everything else reads its result.
        """
        for index, layer in enumerate(self.layers):
            for attr in getattr(layer, kind):
                yield self.param_name(index, layer, attr), layer, attr, attr in layer.weight_names

    def _buffer_slots(self):
        """Yield ``(name, layer, attr)`` for every buffer (running statistics)."""
        for name, layer, attr, _ in self._slots("buffer_names"):
            yield name, layer, attr

    @property
    def params(self):
        """ParamView: the layers' own parameter arrays, read-only (update the arrays in place)."""
        return self._params

    @property
    def dtype(self):
        """The dtype of the parameters (all share one)."""
        _, layer, attr, _ = self._slot_list[0]
        return getattr(layer, attr).dtype

    @property
    def array_module(self):
        """``numpy`` or ``cupy``: where the parameters live (see :meth:`to`; all live on one device)."""
        _, layer, attr, _ = self._slot_list[0]
        return backend.get_array_module(getattr(layer, attr))

    # ---- the training step ------------------------------------------------------------------------
    def loss_and_grads(self, x, t, labels_checked=False, grad_scale=1.0):
        """One training step's computation: ``(loss, scores, grads)``.

        Runs one forward pass in training mode (and leaves the model in the
        mode it found it), the loss layer, then backprop.

        Parameters
        ----------
        x : ndarray, shape (N, D) or (N, d_1, ..., d_k)
            On the model's device; converted to the model's dtype if needed.
        t : ndarray, shape (N,) of class indices or (N, C) one-hot
        labels_checked : bool, default=False
            True when ``t`` holds int64 class indices already checked to lie in
            ``[0, C)``, as the Trainer's are: the loss layer skips its per-batch check.
        grad_scale : float > 0, default=1.0
            Backprop starts from ``grad_scale`` instead of 1, so ``grads`` are the gradients
            of ``grad_scale * loss``: every gradient comes out multiplied by it, at no
            extra cost. The Trainer passes plain SGD's learning rate, so that each update
            is one subtraction (see :meth:`nnscratch.optim.Optimizer.update`'s ``lr_folded``).

        Returns
        -------
        loss : float, or a 0-d float64 array on a GPU
            Data loss plus :meth:`regularization_loss`. On a GPU it stays on the
            device (see :func:`nnscratch.backend.scalar`); ``float(loss)`` reads it.
        scores : ndarray, shape (N, C)
            The training-mode scores the loss was computed from.
        grads : dict[str, ndarray]
            Gradients of ``grad_scale * loss``, keyed like :attr:`params` (``reg * W`` included).
        """
        if not self.training:
            with self.mode(training=True):
                return self.loss_and_grads(x, t, labels_checked, grad_scale)
        _, layer, attr, _ = self._slot_list[0]
        first = getattr(layer, attr)  # its module and dtype are the model's
        if type(x) is not type(first) or x.dtype != first.dtype:  # a Trainer's batches already are
            x = backend.get_array_module(first).asarray(x, dtype=first.dtype)
        scores = self.forward(x)
        loss_layer = self._loss_layer
        if labels_checked and self._loss_takes_labels_checked:
            loss = loss_layer.forward(scores, t, labels_checked=True)
        else:
            loss = loss_layer.forward(scores, t)
        if self.reg:
            loss = loss + self.regularization_loss()
        return loss, scores, self.backward(grad_scale)

    def forward(self, x):
        """Scores (N, C) for a checked batch ``x`` in the current mode; the fast path for trainers."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_scale=1.0):
        """Backprop from the last loss computed; gradients (of ``grad_scale * loss``) keyed like ``params``."""
        if type(grad_scale) is not float or not 0 < grad_scale < math.inf:  # one test in the usual case
            grad_scale = POSITIVE.check(grad_scale, "grad_scale")
        loss_layer = self._loss_layer
        if grad_scale == 1.0 or self._loss_scales_by_dout:
            dout = loss_layer.backward(grad_scale)
        else:  # a loss layer written the book's way ignores its dout: scale what it returns instead
            dout = loss_layer.backward(1.0) * grad_scale
        for layer in self._backward_layers:
            dout = layer.backward(dout)
        if self._skip_input_grad:
            self.layers[0].backward(dout, input_grad=False)
        elif self.layers:
            self.layers[0].backward(dout)
        grads = {name: getattr(layer, grad_attr) for name, layer, grad_attr in self._grad_slots}
        if self.reg:  # the lectures' L2 term, on the weights only
            reg = self.reg * grad_scale
            for name, layer, attr in self._weight_slots:
                grads[name] = grads[name] + reg * getattr(layer, attr)
        return grads

    def regularization_loss(self):
        """``0.5 * reg * sum(W ** 2)`` over the weight matrices: a float, or a 0-d array on a GPU."""
        if self.reg == 0:
            return 0.0
        # ravel() @ ravel() is sum(W ** 2) as one dot product, without a W-sized temporary.
        weights = (getattr(layer, attr) for _, layer, attr in self._weight_slots)
        return 0.5 * self.reg * sum(backend.scalar(W.ravel() @ W.ravel()) for W in weights)

    # ---- the book's readings of the same parts -------------------------------------------------------
    def predict(self, x):
        """Class scores (N, C) for inputs ``x`` (N, D), in evaluation mode; softmax gives probabilities.

        ``x`` may live on the host or on the model's device; the scores live on the model's device.
        """
        x = as_finite_input(x, self.dtype, self.array_module)  # checked after the cast: 1e39 is inf in float32
        with self.mode(training=False):
            return self.forward(x)

    def accuracy(self, x, t):
        """Fraction of rows of ``x`` whose highest score (in evaluation mode) is the label in ``t``."""
        scores = self.predict(x)
        labels = backend.get_array_module(scores).asarray(labels_to_indices(t, scores.shape[0], scores.shape[1]))
        return float((scores.argmax(axis=1) == labels).mean())

    def loss(self, x, t):
        """Data loss on ``(x, t)`` plus the L2 term, in evaluation mode; ``t`` is (N,) indices or (N, C) one-hot."""
        return float(self.loss_layer.forward(self.predict(x), t) + self.regularization_loss())

    def gradient(self, x, t):
        """Gradients of the training loss by backprop, a dict keyed like ``params``."""
        return self.loss_and_grads(x, t)[2]

    def numerical_gradient(self, x, t, h=1e-4):
        """Gradients of the training loss (``loss_and_grads``' loss) by central differences (slow)."""
        x = as_numeric_array(x, "x")

        def training_loss(_):
            with self.mode(training=True):
                scores = self.forward(self.array_module.asarray(x, dtype=self.dtype))
                return float(self.loss_layer.forward(scores, t) + self.regularization_loss())

        return {name: numerical_gradient(training_loss, param, h) for name, param in self.params.items()}

    def train(self, mode=True):
        """Put every layer in training mode (``mode=True``) or evaluation mode; return self."""
        self.training = bool(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    @contextlib.contextmanager
    def mode(self, training):
        """Context: run the block in training (True) or evaluation (False) mode, then restore the mode."""
        previous = self.training
        if previous != training:
            self.train(training)
        try:
            yield self
        finally:
            if previous != training:
                self.train(previous)

    def eval(self):
        """Put every layer in evaluation mode."""
        return self.train(False)

    def to(self, device):
        """Move parameters and buffers to ``device`` ("cpu" or "gpu"), in place; return self."""
        for _, layer, attr, _ in self._slot_list:
            setattr(layer, attr, backend.to_device(getattr(layer, attr), device))
        for _, layer, attr in self._buffer_slots():
            setattr(layer, attr, backend.to_device(getattr(layer, attr), device))
        return self

    def astype(self, dtype):
        """Return a copy of the network with parameters of ``dtype``."""
        clone = copy.deepcopy(self)
        for _, layer, attr, _ in clone._slot_list:
            setattr(layer, attr, aligned(getattr(layer, attr).astype(dtype)))
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
            _check_loaded(arrays[name], name, current.shape, source)
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
