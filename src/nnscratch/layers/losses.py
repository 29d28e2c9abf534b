"""Loss layers: the last step of a network, from scores to one number (SPEC 1.4)."""

from nnscratch.backend import get_array_module
from nnscratch.layers.base import Layer
from nnscratch.layers.registry import register
from nnscratch.validation import check_ndim, check_one_hot_shape, check_target_rows, labels_to_indices


def _check_not_empty(scores, name):
    """A loss is a mean over the batch: an empty batch has none (0 / 0 would be NaN)."""
    if scores.size == 0:
        raise ValueError(f"{name} must hold at least one sample and one class, got an array of shape {scores.shape}")


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
    """

    def forward(self, x, t):
        xp = get_array_module(x)
        check_ndim(x, "scores", (2,))
        n, c = x.shape
        _check_not_empty(x, "scores")
        shifted = x - x.max(axis=1, keepdims=True)  # log y = shifted - log(sum(exp(shifted)))
        self.y = xp.exp(shifted)
        sum_exp = self.y.sum(axis=1, keepdims=True)
        self.y /= sum_exp  # in place: y = exp(shifted) / sum(exp(shifted)), one array fewer per step
        if getattr(t, "ndim", 0) == 2:
            check_one_hot_shape(t, n, c)
            check_target_rows(t)
            self.t = xp.asarray(t)  # host labels meet device scores on the device
            return float(-(self.t * (shifted - xp.log(sum_exp))).sum() / n)
        self.t = xp.asarray(labels_to_indices(t, n, c))
        return float((xp.log(sum_exp).sum() - shifted[xp.arange(n), self.t].sum()) / n)

    def backward(self, dout=1.0):
        """Return dx (N, C) = dout * (y - t) / N."""
        xp = get_array_module(self.y)
        n = self.y.shape[0]
        if self.t.ndim == 2:
            dx = self.y - self.t
        else:
            dx = self.y.copy()
            dx[xp.arange(n), self.t] -= 1
        return dx * (dout / n)


@register(loss=True)
class MSELoss(Layer):
    """Mean squared error over all elements, as in ``torch.nn.MSELoss``.

    Forward::

        loss = mean((y - t) ** 2)               y, t: (N, C)

    Backward::

        dy = 2 * (y - t) / y.size * dout        (N, C)

    Integer class labels (N,) are turned into one-hot targets first, so the
    layer can train a classifier the way the lectures' SSE examples do.
    """

    def forward(self, y, t):
        xp = get_array_module(y)
        check_ndim(y, "y", (2,))
        n, c = y.shape
        _check_not_empty(y, "y")
        if getattr(t, "ndim", 0) == 2:
            check_one_hot_shape(t, n, c)
            t = xp.asarray(t)
        else:
            t = xp.eye(c, dtype=y.dtype)[xp.asarray(labels_to_indices(t, n, c))]
        self.diff = y - t
        return float((self.diff**2).mean())

    def backward(self, dout=1.0):
        """Return dy (N, C) = 2 * (y - t) / (N * C) * dout."""
        return self.diff * (2.0 * dout / self.diff.size)
