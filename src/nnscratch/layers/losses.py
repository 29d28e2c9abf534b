"""Loss layers: the last step of a network, from scores to one number (SPEC 1.4)."""

import functools

import numpy as np

from nnscratch.backend import get_array_module, scalar
from nnscratch.layers.base import Layer
from nnscratch.layers.registry import register
from nnscratch.validation import (
    as_numeric_array,
    check_ndim,
    check_one_hot_shape,
    check_target_rows,
    labels_to_indices,
)


@functools.lru_cache(maxsize=16)
def row_starts(xp, n, c):
    """``xp.arange(n) * c``: where each row of an (n, c) array starts once it is flattened.

    Made once per array module and shape: on a GPU each ``arange`` costs about as much
    host time as a kernel launch. Treat the returned array as read-only: it is shared.
    """
    return xp.arange(0, n * c, c)


def _as_scores(x, name):
    """``x`` as a 2-D numeric array with at least one row and one column, else a clear error.

    Integer scores come back as float64: NumPy's exp of int8 is float16, and int8 - int8 wraps
    around. NaN and inf are not refused: a NaN loss is how the Trainer sees divergence.
    """
    if type(x) is np.ndarray and x.dtype.kind == "f" and x.ndim == 2 and x.size:
        return x  # the usual case, every training step: one test
    x = as_numeric_array(x, name, finite=False)
    if x.dtype.kind in "iu":
        x = x.astype(np.float64)
    check_ndim(x, name, (2,))
    if x.size == 0:  # a loss is a mean over the batch: an empty batch has none (0 / 0 would be NaN)
        raise ValueError(f"{name} must hold at least one sample and one class, got an array of shape {x.shape}")
    return x


@register(loss=True)
class SoftmaxWithLoss(Layer):
    """Softmax followed by the batch-averaged cross-entropy, fused.

    Forward::

        y = softmax(x)                          x: (N, C) scores
        loss = -mean_n log y[n, t[n]]           natural log

    Backward::

        dx = (y - t_one_hot) / N  * dout        (N, C)

    The loss is computed as ``log(sum(exp(shifted))) - shifted[t]`` with
    ``shifted = x - max(x)`` (log-softmax), so it is exact even when a
    probability underflows to 0, and the backward formula is its exact
    derivative. Labels ``t`` are class indices (N,) or one-hot (N, C); a 2-D
    ``t`` may also hold any probability distribution per row.

    ``forward`` returns the loss as a ``float`` on the CPU and as a 0-d float64
    array on a GPU (see :func:`nnscratch.backend.scalar`). ``labels_checked=True``
    says that ``t`` holds int64 class indices already checked to lie in
    ``[0, C)`` (the Trainer checks the whole label array once, at the door) and
    skips the per-batch check, whose min and max would make a GPU wait.
    """

    def forward(self, x, t, labels_checked=False):
        xp = get_array_module(x)
        x = _as_scores(x, "scores")
        n, c = x.shape
        shifted = x - x.max(axis=1, keepdims=True)  # log y = shifted - log(sum(exp(shifted)))
        if getattr(t, "ndim", 0) == 2:
            t = as_numeric_array(t, "t")
            check_one_hot_shape(t, n, c)
            check_target_rows(t)
            self.t = xp.asarray(t)  # host labels meet device scores on the device
            log_sum_exp = self._normalise(xp, xp.exp(shifted))
            return scalar(-(self.t * (shifted - log_sum_exp)).sum() / n)
        if not labels_checked:
            t = labels_to_indices(t, n, c)
        self.t = t if type(t) is type(x) else xp.asarray(t)  # host labels meet device scores on the device
        # shifted[n, t[n]] for every row n, as one index into the flattened array (row n's label
        # sits at n * C + t[n]): half the time of indexing with the pair (arange(N), t).
        self.label_at = row_starts(xp, n, c) + self.t
        picked = shifted.reshape(-1)[self.label_at]  # read before exp overwrites shifted
        log_sum_exp = self._normalise(xp, xp.exp(shifted, out=shifted))  # shifted is our own: one array fewer
        # One sum of per-row losses: no cancellation between two large sums, and one reduction fewer.
        return scalar((log_sum_exp[:, 0] - picked).sum() / n)

    def _normalise(self, xp, exp_shifted):
        """Divide ``exp(shifted)`` (N, C) by its row sums in place, keep it as ``y``; return log of the sums (N, 1)."""
        sum_exp = exp_shifted.sum(axis=1, keepdims=True)
        exp_shifted /= sum_exp
        self.y = exp_shifted
        return xp.log(sum_exp)

    def backward(self, dout=1.0):
        """Return dx (N, C) = dout * (y - t) / N."""
        n = self.y.shape[0]
        if self.t.ndim == 2:
            dx = self.y - self.t
        else:
            dx = self.y.copy()  # C-contiguous, so that reshape(-1) is a view
            dx.reshape(-1)[self.label_at] -= 1  # dx[arange(N), t] -= 1
        dx *= dout / n  # in place: dx is a new array of our own
        return dx


@register(loss=True)
class MSELoss(Layer):
    """Mean squared error over all elements, as in ``torch.nn.MSELoss``.

    Forward::

        loss = mean((y - t) ** 2)               y, t: (N, C)

    Backward::

        dy = 2 * (y - t) / y.size * dout        (N, C)

    Integer class labels (N,) are turned into one-hot targets first, so the
    layer can train a classifier the way the lectures' SSE examples do.
    The loss and ``labels_checked`` are as in :class:`SoftmaxWithLoss`.
    """

    def forward(self, y, t, labels_checked=False):
        xp = get_array_module(y)
        y = _as_scores(y, "y")
        n, c = y.shape
        if getattr(t, "ndim", 0) == 2:
            t = as_numeric_array(t, "t")  # any finite targets: MSE also fits soft or real-valued ones
            check_one_hot_shape(t, n, c)
            t = xp.asarray(t)
        else:
            t = xp.eye(c, dtype=y.dtype)[xp.asarray(t if labels_checked else labels_to_indices(t, n, c))]
        self.diff = y - t
        return scalar((self.diff**2).mean())

    def backward(self, dout=1.0):
        """Return dy (N, C) = 2 * (y - t) / (N * C) * dout."""
        return self.diff * (2.0 * dout / self.diff.size)
