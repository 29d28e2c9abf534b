"""What every layer shares: parameters found by name, a mode flag, a repr.

Shapes used in every layer docstring: N batch size, D input features,
M output features, H hidden units, C classes.
"""

from abc import ABC, abstractmethod


class Layer(ABC):
    """A differentiable step ``out = forward(x)``, ``dx = backward(dout)``.

    A layer keeps its parameters as attributes named in ``param_names`` and,
    after ``backward``, their gradients as the same names prefixed with ``d``
    (``W`` -> ``dW``). ``params`` and ``grads`` are built from those
    attributes on every access, so they never go stale. ``weight_names`` are
    the parameters that L2 regularisation applies to (weights, not biases).

    ``backward`` returns a new array and never writes into ``dout``.
    """

    param_names = ()
    weight_names = ()
    # State that is saved with the model but not trained (BatchNorm's running statistics).
    buffer_names = ()

    # False: backward may skip dx. A network asks its first layer (whose input is data) for no dx
    # per call instead, with backward(dout, input_grad=False), where the layer's backward takes it.
    needs_input_grad = True

    def __init__(self):
        self.training = True

    @property
    def params(self):
        """dict[str, ndarray]: the parameters, keyed by attribute name."""
        return {name: getattr(self, name) for name in self.param_names}

    @property
    def grads(self):
        """dict[str, ndarray]: gradients from the last ``backward``, keyed like ``params``."""
        return {name: getattr(self, "d" + name) for name in self.param_names}

    @property
    def buffers(self):
        """dict[str, ndarray]: non-trained state saved with the model."""
        return {name: getattr(self, name) for name in self.buffer_names}

    def config(self):
        """dict: constructor arguments other than parameters (saved with the model)."""
        return {}

    def train(self, mode=True):
        """Switch to training mode (``mode=True``) or evaluation mode; return self."""
        self.training = bool(mode)
        return self

    def eval(self):
        """Switch to evaluation mode; return self."""
        return self.train(False)

    @abstractmethod
    def forward(self, x):
        """Compute the output and cache what ``backward`` needs."""

    @abstractmethod
    def backward(self, dout):
        """Return the gradient of the loss with respect to the last input."""

    def __repr__(self):
        parts = [f"{key}={value!r}" for key, value in self.config().items()]
        return f"{type(self).__name__}({', '.join(parts)})"
