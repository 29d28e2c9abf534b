"""Maxout: the maximum of k affine pieces (SPEC 1.1)."""

import math

from nnscratch.backend import get_array_module
from nnscratch.layers.base import Layer
from nnscratch.layers.registry import register
from nnscratch.validation import as_numeric_array, check_ndim


@register
class Maxout(Layer):
    """Maxout layer with its own weights.

    Forward::

        z[:, j, :] = x @ W[j] + b[j]        j = 0..k-1, z: (N, k, M)
        out = z.max(axis=1)                 (N, M)

    Backward (the gradient flows only through the winning piece)::

        dz = dout where piece j won, else 0 (N, k, M)
        dW[j] = x.T @ dz[:, j, :]            (D, M)
        db[j] = dz[:, j, :].sum(axis=0)      (M,)
        dx = sum_j dz[:, j, :] @ W[j].T      (N, D)

    Parameters
    ----------
    W : ndarray, shape (k, D, M)
        The k pieces' weights; k = ``W.shape[0]``.
    b : ndarray, shape (k, M)
    """

    param_names = ("W", "b")
    weight_names = ("W",)

    def __init__(self, W, b):
        super().__init__()
        W = as_numeric_array(W, "W")
        b = as_numeric_array(b, "b")
        check_ndim(W, "W", (3,))
        if b.shape != (W.shape[0], W.shape[2]):
            expected = (W.shape[0], W.shape[2])
            raise ValueError(f"b must have shape {expected} to match W of shape {W.shape}, got {b.shape}")
        self.W, self.b = W, b
        self.dW = self.db = None

    @property
    def k(self):
        return self.W.shape[0]

    def forward(self, x):
        """(N, D) or (N, d_1, ..., d_k) -> (N, M); caches x and the winning piece."""
        k, D, M = self.W.shape
        x = as_numeric_array(x, "x", finite=False)
        if x.ndim < 2 or math.prod(x.shape[1:]) != D:
            raise ValueError(f"Maxout expects {D} input features, got an array of shape {tuple(x.shape)}")
        self.input_shape = x.shape
        self.x = x.reshape(x.shape[0], D)
        # One GEMM for all k pieces: W as (D, k * M).
        z = (self.x @ self.W.transpose(1, 0, 2).reshape(D, k * M)).reshape(-1, k, M) + self.b
        self.argmax = z.argmax(axis=1)
        return z.max(axis=1)

    def backward(self, dout):
        """(N, M) -> dx in the input's shape; sets ``dW`` (k, D, M) and ``db`` (k, M)."""
        xp = get_array_module(dout)
        k, D, M = self.W.shape
        winner = self.argmax[:, None, :] == xp.arange(k)[None, :, None]
        dz = winner * dout[:, None, :]
        self.dW = xp.einsum("nd,nkm->kdm", self.x, dz)
        self.db = dz.sum(axis=0)
        dx = xp.einsum("nkm,kdm->nd", dz, self.W)
        return dx.reshape(self.input_shape)

    def __repr__(self):
        k, D, M = self.W.shape
        return f"Maxout(in_features={D}, out_features={M}, k={k})"
