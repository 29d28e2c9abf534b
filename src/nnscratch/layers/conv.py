"""The convolution layer ``out = W * x + b``, one matrix product over im2col's columns."""

from nnscratch.backend import get_array_module
from nnscratch.layers.base import Layer
from nnscratch.layers.im2col import col2im_t, im2col_t, output_size
from nnscratch.layers.registry import register
from nnscratch.validation import as_numeric_array, check_ndim


@register
class Convolution(Layer):
    """2-D convolution (cross-correlation, as in the book and PyTorch's ``conv2d``).

    Forward, with ``cols = im2col(x).T`` (see :func:`~nnscratch.layers.im2col.im2col_t`)::

        cols = im2col_t(x)                        (C*FH*FW, OH*OW*N)
        out = W.reshape(FN, -1) @ cols + b        (FN, OH*OW*N), seen as (N, FN, OH, OW)

    Backward, with ``d = dout`` laid out (FN, OH*OW*N)::

        db = d.sum(axis=1)                        (FN,)
        dW = d @ cols.T                           (FN, C*FH*FW), reshaped to (FN, C, FH, FW)
        dx = col2im_t(W.reshape(FN, -1).T @ d)    (N, C, H, W)

    The bias rides in the matrix products (CS231n's "bias trick"): ``cols`` gets one more
    row, of ones, and ``W`` one more column, ``b``. Then ``[W | b] @ [cols; 1]`` is
    ``W @ cols + b`` and ``d @ [cols; 1].T`` is ``[dW | db]``, without a pass over ``out``
    to add ``b`` or over ``d`` to sum it.

    Why the transposed columns: the book multiplies ``im2col(x) @ W.T`` and gets
    (N*OH*OW, FN), which must be transposed (a copy) into (N, FN, OH, OW). Here the
    product is (FN, OH*OW*N) and is returned as an (N, FN, OH, OW) *view* of memory
    stored batch-last, (FN, OH, OW, N): the layout in which the next layer's
    ``im2col_t`` and this layer's backward read it without copying.

    Parameters
    ----------
    W : ndarray, shape (FN, C, FH, FW)
        FN filters, each C x FH x FW.
    b : ndarray, shape (FN,)
    stride : int, default=1
    pad : int, default=0
        Zeros added on every side of each image.

    Attributes
    ----------
    dW, db : ndarray
        Gradients from the last ``backward``.

    Examples
    --------
    >>> import numpy as np
    >>> from nnscratch import Convolution
    >>> conv = Convolution(np.ones((2, 1, 3, 3)), np.zeros(2), pad=1)
    >>> conv.forward(np.ones((4, 1, 5, 7))).shape
    (4, 2, 5, 7)
    """

    param_names = ("W", "b")
    weight_names = ("W",)

    def __init__(self, W, b, stride=1, pad=0):
        super().__init__()
        W, b = as_numeric_array(W, "W"), as_numeric_array(b, "b")
        check_ndim(W, "W", (4,))
        if b.shape != (W.shape[0],):
            raise ValueError(f"b must have shape ({W.shape[0]},) to match W of shape {W.shape}, got {b.shape}")
        self.W, self.b = W, b
        self.stride, self.pad = stride, pad
        output_size((1, *W.shape[1:]), *W.shape[2:], stride, pad)  # checks stride and pad now, not at first use
        self.dW = self.db = None
        self.cols = self.input_shape = None

    def config(self):
        return {"stride": self.stride, "pad": self.pad}

    def forward(self, x):
        """(N, C, H, W) -> (N, FN, OH, OW); in training, caches the columns (C*FH*FW, OH*OW*N)."""
        FN, C, FH, FW = self.W.shape
        if x.ndim != 4 or x.shape[1] != C:
            raise ValueError(
                f"Convolution with W of shape {tuple(self.W.shape)} expects input of shape (N, {C}, H, W), "
                f"got an array of shape {tuple(x.shape)}"
            )
        OH, OW = output_size(x.shape, FH, FW, self.stride, self.pad)
        self.input_shape = x.shape
        xp, K = get_array_module(x), C * FH * FW
        cols = xp.empty((K + 1, OH * OW * x.shape[0]), dtype=x.dtype)  # the columns, then a row of ones
        im2col_t(x, FH, FW, self.stride, self.pad, out=cols[:K])
        cols[K] = 1
        out = xp.concatenate([self.W.reshape(FN, K), self.b[:, None]], axis=1) @ cols  # W @ cols + b
        # Evaluation has no backward: the columns, the largest array here, are freed at once.
        self.cols = cols if self.training else None
        return out.reshape(FN, OH, OW, x.shape[0]).transpose(3, 0, 1, 2)

    def backward(self, dout, input_grad=None):
        """(N, FN, OH, OW) -> dx (N, C, H, W); sets ``dW`` (FN, C, FH, FW) and ``db`` (FN,).

        ``input_grad=False`` skips ``dx`` (a matrix product and col2im) and returns None, as
        a network asks of its first layer; None follows :attr:`needs_input_grad`.
        """
        if self.cols is None:
            raise RuntimeError("Convolution.backward needs a forward pass in training mode first")
        FN = self.W.shape[0]
        expected = (self.input_shape[0], FN, *output_size(self.input_shape, *self.W.shape[2:], self.stride, self.pad))
        if tuple(dout.shape) != expected:
            raise ValueError(f"Convolution.backward expects dout of shape {expected}, got {tuple(dout.shape)}")
        d = dout.transpose(1, 2, 3, 0).reshape(FN, self.cols.shape[1])  # no copy when dout is stored batch-last
        # [dW | db] = d @ cols.T, computed as its transpose: BLAS splits the long C*FH*FW side
        # between threads rather than the short FN side (several times faster on two cores).
        grads = self.cols @ d.T  # (C*FH*FW + 1, FN)
        self.dW = grads[:-1].T.reshape(self.W.shape)  # a copy: the transpose is not contiguous
        self.db = grads[-1].copy()
        if not (self.needs_input_grad if input_grad is None else input_grad):
            return None
        dcols = self.W.reshape(FN, -1).T @ d
        return col2im_t(dcols, self.input_shape, *self.W.shape[2:], self.stride, self.pad)

    def __repr__(self):
        FN, C, FH, FW = self.W.shape
        return f"Convolution({C} -> {FN}, filter={FH}x{FW}, stride={self.stride}, pad={self.pad})"
