"""The fully connected layer ``out = x @ W + b`` (SPEC 1.4)."""

import math

import numpy as np

from nnscratch.alignment import reusable
from nnscratch.layers.base import Layer
from nnscratch.layers.registry import register
from nnscratch.validation import as_numeric_array, check_ndim


@register
class Affine(Layer):
    """Fully connected layer.

    Forward::

        out = x @ W + b                 x: (N, D) -> out: (N, M)

    Backward::

        dx = dout @ W.T                 (N, D), reshaped to x's input shape
        dW = x.T @ dout                 (D, M)
        db = dout.sum(axis=0)           (M,)

    Input of shape (N, d_1, ..., d_k) is flattened to (N, D) with
    D = d_1 * ... * d_k (an image batch, say), and ``backward`` gives ``dx``
    back in the input's shape.

    Parameters
    ----------
    W : ndarray, shape (D, M)
    b : ndarray, shape (M,)

    Attributes
    ----------
    dW, db : ndarray
        Gradients from the last ``backward``. A new ``dW`` is written over the last one's
        array when nothing else holds it (see :func:`nnscratch.alignment.reusable`).
    needs_input_grad : bool, default=True
        When False, ``backward`` skips ``dx`` unless asked for it.
    """

    param_names = ("W", "b")
    weight_names = ("W",)

    def __init__(self, W, b):
        super().__init__()
        W = as_numeric_array(W, "W")
        b = as_numeric_array(b, "b")
        check_ndim(W, "W", (2,))
        if b.shape != (W.shape[1],):
            raise ValueError(f"b must have shape ({W.shape[1]},) to match W of shape {W.shape}, got {b.shape}")
        self.W, self.b = W, b
        self.dW = self.db = None
        self.x = self.input_shape = None

    @property
    def in_features(self):
        return self.W.shape[0]

    @property
    def out_features(self):
        return self.W.shape[1]

    def forward(self, x):
        """(N, D) or (N, d_1, ..., d_k) -> (N, M); caches the flattened x."""
        x = as_numeric_array(x, "x", finite=False)  # a dtype check, no pass over the data
        input_shape = x.shape
        if x.ndim != 2 or x.shape[1] != self.W.shape[0]:  # the check runs only off the (N, D) fast path
            if x.ndim < 2 or math.prod(x.shape[1:]) != self.in_features:
                raise ValueError(
                    f"Affine expects {self.in_features} input features, got an array of shape {tuple(x.shape)}"
                )
            x = x.reshape(x.shape[0], self.in_features)  # not -1: an empty batch (0, D) stays (0, D)
        self.x, self.input_shape = x, input_shape
        out = x @ self.W
        out += self.b  # in place: the product is a new array of our own
        return out

    def backward(self, dout, input_grad=None):
        """(N, M) -> dx in the input's shape; sets ``dW`` (D, M) and ``db`` (M,).

        ``input_grad=False`` skips ``dx`` (one GEMM of three) and returns None: a
        network passes it to its first layer, whose input is data. The default,
        None, follows :attr:`needs_input_grad` (True unless set otherwise).
        """
        if dout.shape != (self.x.shape[0], self.W.shape[1]):
            raise ValueError(
                f"Affine.backward expects dout of shape {(self.x.shape[0], self.out_features)}, got {tuple(dout.shape)}"
            )
        last, self.dW, self.db = self.dW, None, None
        if type(dout) is np.ndarray and dout.dtype == self.x.dtype:
            # Into last step's dW, unless someone still holds it (a loop that keeps its grads
            # gets a new array): it stays on its cache line and in the cache (nnscratch.alignment).
            self.dW = np.matmul(self.x.T, dout, out=reusable(last, self.W.shape, dout.dtype))
        else:  # on a GPU, or dtypes that differ (NumPy then picks the result's)
            self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        if not (self.needs_input_grad if input_grad is None else input_grad):
            return None
        return (dout @ self.W.T).reshape(self.input_shape)

    def __repr__(self):
        return f"Affine(in_features={self.in_features}, out_features={self.out_features})"
