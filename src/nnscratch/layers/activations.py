"""Elementwise activation layers (SPEC 1.1, 1.4).

Each maps x of any shape to out of the same shape, and ``backward`` maps
dout of that shape to dx. What is cached is whatever the local derivative
needs: a mask, or the output itself. ``forward`` checks that x is a numeric
array before the mask is taken (a TypeError naming x otherwise); NaN and inf
pass through, as in :mod:`nnscratch.functional`.
"""

import numpy as np

from nnscratch import functional, parallel
from nnscratch.backend import get_array_module
from nnscratch.layers.base import Layer
from nnscratch.layers.registry import ACTIVATIONS, register
from nnscratch.validation import as_numeric_array, check_finite_real

__all__ = ["ACTIVATIONS", "Elu", "LeakyRelu", "Relu", "Sigmoid", "Tanh"]


@register(activation="relu")
class Relu(Layer):
    """``out = max(0, x)``;  ``dx = dout * (x > 0)``. Caches the mask ``x > 0``.

    On large arrays (a convnet's feature maps) each core computes a part of them
    (:mod:`nnscratch.parallel`); the numbers are the same.

    Parameters
    ----------
    inplace : bool, default=False
        Write ``out`` over ``x``, and ``dx`` over ``dout``, instead of into new arrays
        (as ``torch.nn.ReLU(inplace=True)``). Only for inputs and gradients that nothing
        else keeps: :func:`nnscratch.mlp` uses it after its Affine layers, whose outputs are
        new arrays no layer caches, which saves two batch-sized arrays a step.
    """

    def __init__(self, inplace=False):
        super().__init__()
        if not isinstance(inplace, bool | np.bool_):
            raise TypeError(f"inplace must be True or False, got {inplace!r}")
        self.inplace = bool(inplace)

    def config(self):
        return {"inplace": True} if self.inplace else {}  # the default saves and prints as Relu(), as before

    def forward(self, x):
        x = as_numeric_array(x, "x", finite=False)
        if not parallel.worth_splitting(x):
            self.mask = x > 0  # before maximum: in place, it overwrites x
            # functional.relu without checking x a second time
            return get_array_module(x).maximum(x, 0, out=x if self.inplace else None)
        out, self.mask = x if self.inplace else np.empty_like(x), np.empty_like(x, dtype=bool)
        parallel.split_elementwise(_relu_and_mask, x, out, self.mask)  # the same two lines, a part per core
        return out

    def backward(self, dout):
        return parallel.multiply(dout, self.mask, out=dout if self.inplace else None)


def _relu_and_mask(x, out, mask):
    """``mask = x > 0`` and ``out = max(0, x)``, written into the given arrays (``out`` may be ``x``).

    ``x`` and ``out`` of one shape and dtype, ``mask`` bool of that shape (parts of Relu's arrays).
    """
    np.greater(x, 0, out=mask)
    np.maximum(x, 0, out=out)


@register(activation="sigmoid")
class Sigmoid(Layer):
    """``out = 1 / (1 + exp(-x))``;  ``dx = dout * out * (1 - out)``. Caches out."""

    def forward(self, x):
        self.out = functional.sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)


@register(activation="tanh")
class Tanh(Layer):
    """``out = tanh(x)``;  ``dx = dout * (1 - out ** 2)``. Caches out."""

    def forward(self, x):
        self.out = functional.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out**2)


@register(activation="leaky_relu")
class LeakyRelu(Layer):
    """``out = x if x > 0 else alpha * x``;  ``dx = dout * (1 if x > 0 else alpha)``.

    Parameters
    ----------
    alpha : float, default=0.1
        Slope for negative inputs (0.1 in the lectures).
    """

    def __init__(self, alpha=0.1):
        super().__init__()
        self.alpha = check_finite_real(alpha, "alpha")

    def config(self):
        return {"alpha": self.alpha}

    def forward(self, x):
        x = as_numeric_array(x, "x", finite=False)
        self.mask = x > 0
        return functional.leaky_relu(x, self.alpha)

    def backward(self, dout):
        xp = get_array_module(dout)
        return xp.where(self.mask, dout, self.alpha * dout)


@register(activation="elu")
class Elu(Layer):
    """``out = x if x > 0 else alpha * (exp(x) - 1)``;  ``dx = dout * (1 if x > 0 else out + alpha)``.

    Parameters
    ----------
    alpha : float, default=1.0
    """

    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = check_finite_real(alpha, "alpha")

    def config(self):
        return {"alpha": self.alpha}

    def forward(self, x):
        x = as_numeric_array(x, "x", finite=False)
        self.mask = x > 0
        self.out = functional.elu(x, self.alpha)
        return self.out

    def backward(self, dout):
        xp = get_array_module(dout)
        return xp.where(self.mask, dout, dout * (self.out + self.alpha))
