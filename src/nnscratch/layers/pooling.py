"""Pooling layers: the maximum (the book's ``Pooling``) or the mean of each window."""

import math

import numpy as np

from nnscratch.backend import get_array_module
from nnscratch.layers.base import Layer
from nnscratch.layers.im2col import col2im_t, im2col_t, output_size
from nnscratch.layers.registry import register
from nnscratch.parallel import split


class _Pool(Layer):
    """What both pooling layers share: the window, its checks, and the windows as columns."""

    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        super().__init__()
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad
        output_size((1, 1, pool_h, pool_w), pool_h, pool_w, stride, pad)  # checks the arguments now
        if 2 * pad > min(pool_h, pool_w):  # PyTorch's rule: else a window could hold only padding
            raise ValueError(f"pad must be at most half the {pool_h}x{pool_w} window, got pad={pad}")
        self.input_shape = None

    def config(self):
        return {"pool_h": self.pool_h, "pool_w": self.pool_w, "stride": self.stride, "pad": self.pad}

    def _windows(self, x, fill):
        """x (N, C, H, W) -> its windows as (C, K, OH, OW, N), K = pool_h * pool_w."""
        if x.ndim != 4:
            raise ValueError(f"{type(self).__name__} expects input of shape (N, C, H, W), got {tuple(x.shape)}")
        OH, OW = output_size(x.shape, self.pool_h, self.pool_w, self.stride, self.pad)
        self.input_shape = x.shape
        N, C = x.shape[:2]
        cols = im2col_t(x, self.pool_h, self.pool_w, self.stride, self.pad, fill)
        return cols.reshape(C, self.pool_h * self.pool_w, OH, OW, N)

    def _scatter(self, dcols):
        """Windows' gradients (C, K, OH, OW, N) -> dx (N, C, H, W), overlapping windows adding up."""
        C, K = dcols.shape[:2]
        columns = dcols.reshape(C * K, math.prod(dcols.shape[2:]))
        return col2im_t(columns, self.input_shape, self.pool_h, self.pool_w, self.stride, self.pad)

    def _check_dout(self, dout):
        if self.input_shape is None:
            raise RuntimeError(f"{type(self).__name__}.backward needs a forward pass first")
        N, C = self.input_shape[:2]
        expected = (N, C, *output_size(self.input_shape, self.pool_h, self.pool_w, self.stride, self.pad))
        if tuple(dout.shape) != expected:
            raise ValueError(
                f"{type(self).__name__}.backward expects dout of shape {expected}, got {tuple(dout.shape)}"
            )
        return dout.transpose(1, 2, 3, 0)  # (C, OH, OW, N), the windows' layout

    def __repr__(self):
        return f"{type(self).__name__}({self.pool_h}x{self.pool_w}, stride={self.stride}, pad={self.pad})"


@register
class Pooling(_Pool):
    """Max pooling: each window's largest value; the gradient goes to that one input.

    Forward and backward, for windows ``cols`` of shape (C, K, OH, OW, N), K = pool_h * pool_w::

        out = cols.max(axis=1)                    (C, OH, OW, N), seen as (N, C, OH, OW)
        mask = (cols == out), the first k only    (C, K, OH, OW, N): the book's argmax, one-hot
        dcols = mask * dout                    -> dx = col2im_t(dcols)

    Padding counts as ``-inf`` (it never wins a maximum), as in PyTorch's ``max_pool2d``;
    the book pads with zeros, which differs only where a window's values are all negative.

    The usual windows side by side (``stride`` equal to a square window, no padding) take
    a shorter path with the same numbers: the windows are views of the input, so neither
    the im2col copy nor col2im's additions are needed.

    Parameters
    ----------
    pool_h, pool_w : int
        The window.
    stride : int, default=1
        The book's default; ``stride=pool_h`` gives the usual non-overlapping windows.
    pad : int, default=0
        At most half the window, as PyTorch requires.

    Examples
    --------
    >>> import numpy as np
    >>> from nnscratch import Pooling
    >>> Pooling(2, 2, stride=2).forward(np.arange(16.0).reshape(1, 1, 4, 4))
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    """

    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        super().__init__(pool_h, pool_w, stride, pad)
        self.mask = None
        self.tiled = False  # the last forward took the side-by-side windows' path (mask is then (x, out))

    def forward(self, x):
        """(N, C, H, W) -> (N, C, OH, OW); in training, caches where each maximum came from."""
        self.tiled = self._tiles_apart(x)
        if self.tiled:
            return self._forward_tiles(x)
        cols = self._windows(x, fill=-np.inf)
        out = cols.max(axis=1)
        self.mask = _first_max(cols, out) if self.training else None  # evaluation has no backward
        return out.transpose(3, 0, 1, 2)

    def backward(self, dout):
        """(N, C, OH, OW) -> dx (N, C, H, W): each dout goes to its window's arg-max."""
        if self.mask is None:
            raise RuntimeError("Pooling.backward needs a forward pass in training mode first")
        if self.tiled:
            return self._backward_tiles(self._check_dout(dout))
        return self._scatter(self.mask * self._check_dout(dout)[:, None])

    # Windows side by side (stride = window, no padding: the usual 2x2 pooling) cover each
    # input once, so they are views of the input: no im2col copy, no col2im additions.
    # Same numbers and the same first-maximum rule as the general path.

    def _tiles_apart(self, x):
        return self.pad == 0 and self.pool_h == self.pool_w == self.stride > 1 and getattr(x, "ndim", 0) == 4

    def _tiles(self, image, OH, OW):
        """``image`` (C, H, W, N) -> K views (C, OH, OW, N): entry k of every window."""
        C, N, p = image.shape[0], image.shape[3], self.stride
        grid = image[:, : OH * p, : OW * p].reshape(C, OH, p, OW, p, N)
        return [grid[:, :, i, :, j] for i in range(p) for j in range(p)]

    def _forward_tiles(self, x):
        """Like :meth:`forward`; the mask is (K, C, OH, OW, N): is entry k its window's first maximum."""
        OH, OW = output_size(x.shape, self.pool_h, self.pool_w, self.stride, self.pad)
        self.input_shape = x.shape
        image, xp = x.transpose(1, 2, 3, 0), get_array_module(x)
        C, N, K = image.shape[0], image.shape[3], self.pool_h * self.pool_w
        out = xp.empty((C, OH, OW, N), dtype=x.dtype)
        self.mask = xp.empty((K, C, OH, OW, N), dtype=bool) if self.training else None

        def pool(part):  # the channels in `part`
            entries, top = self._tiles(image[part], OH, OW), out[part]
            xp.maximum(entries[0], entries[1], out=top)
            for entry in entries[2:]:
                xp.maximum(top, entry, out=top)
            if self.mask is not None:
                mask = self.mask[:, part]
                taken = xp.zeros(top.shape, dtype=bool)  # windows whose maximum an earlier entry holds
                for k, entry in enumerate(entries):
                    xp.equal(entry, top, out=mask[k])
                    xp.greater(mask[k], taken, out=mask[k])  # for booleans, a > b is a and not b
                    if k < K - 1:
                        taken |= mask[k]

        split(pool, C, x)  # the cores share the channels (see nnscratch.parallel)
        return out.transpose(3, 0, 1, 2)

    def _backward_tiles(self, d):
        """d (C, OH, OW, N) -> dx (N, C, H, W), each window's gradient written to its arg-max."""
        N, C, H, W = self.input_shape
        OH, OW = d.shape[1:3]
        xp = get_array_module(d)
        exact = (H, W) == (OH * self.stride, OW * self.stride)  # else the rows and columns no window saw stay 0
        dx = (xp.empty if exact else xp.zeros)((C, H, W, N), dtype=d.dtype)

        def scatter(part):  # the channels in `part`
            for mask, grad in zip(self.mask[:, part], self._tiles(dx[part], OH, OW), strict=True):
                xp.multiply(mask, d[part], out=grad)

        split(scatter, C, dx)  # the cores share the channels (see nnscratch.parallel)
        return dx.transpose(3, 0, 1, 2)


def _first_max(cols, out):
    """The arg-max of windows ``cols`` (C, K, OH, OW, N) as a one-hot boolean mask of that shape.

    Built with K boolean steps: NumPy's argmax over a middle axis copies the windows and is
    about ten times slower than max. A tie goes to the first maximum, as in argmax and PyTorch.
    """
    mask = cols == out[:, None]
    taken = mask[:, 0].copy()
    for k in range(1, cols.shape[1]):
        mask[:, k] &= ~taken
        taken |= mask[:, k]
    return mask


@register
class AvgPooling(_Pool):
    """Average pooling: each window's mean; the gradient is shared equally by the window.

    Forward and backward, for windows ``cols`` of shape (C, K, OH, OW, N), K = pool_h * pool_w::

        out = cols.mean(axis=1)                   (C, OH, OW, N), seen as (N, C, OH, OW)
        dcols[:, k] = dout / K for every k     -> dx = col2im_t(dcols)

    Padding counts as zeros in the mean (PyTorch's ``avg_pool2d`` default,
    ``count_include_pad=True``).

    Parameters
    ----------
    pool_h, pool_w : int
    stride : int, default=1
    pad : int, default=0
        At most half the window, as PyTorch requires.
    """

    def forward(self, x):
        """(N, C, H, W) -> (N, C, OH, OW)."""
        return self._windows(x, fill=0.0).mean(axis=1).transpose(3, 0, 1, 2)

    def backward(self, dout):
        """(N, C, OH, OW) -> dx (N, C, H, W)."""
        d = self._check_dout(dout)
        K = self.pool_h * self.pool_w
        share = d[:, None] / K
        return self._scatter(get_array_module(d).broadcast_to(share, (d.shape[0], K, *d.shape[1:])))
