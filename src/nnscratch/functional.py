"""Activation and loss functions as pure array formulas (SPEC 1.1).

Shapes: ``x`` is any array unless stated; for batches, N is the batch size and
C the number of classes. Every function accepts NumPy or CuPy arrays and
returns an array of the same module.
"""

import numpy as np

from nnscratch.backend import get_array_module
from nnscratch.validation import as_numeric_array, check_ndim, check_one_hot_shape, labels_to_indices

# The lectures' guard against log(0) in cross_entropy_error.
LOG_EPSILON = 1e-7


def step_function(x):
    """Heaviside step: 1 where ``x > 0``, else 0, as int64 of ``x``'s shape."""
    xp = get_array_module(x)
    return (xp.asarray(x) > 0).astype(np.int64)


def sigmoid(x):
    """Logistic function ``1 / (1 + exp(-x))``, stable for scores of +-1000.

    Only ``exp(-|x|)`` is evaluated, which never overflows; the two branches
    ``1 / (1 + e)`` and ``e / (1 + e)`` are the same formula rearranged.
    """
    xp = get_array_module(x)
    x = xp.asarray(x)
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(x):
    """Hyperbolic tangent ``(exp(x) - exp(-x)) / (exp(x) + exp(-x))``."""
    xp = get_array_module(x)
    return xp.tanh(x)


def relu(x):
    """Rectified linear unit ``max(0, x)``."""
    xp = get_array_module(x)
    return xp.maximum(x, 0)


def leaky_relu(x, alpha=0.1):
    """``x`` where ``x > 0``, else ``alpha * x`` (the lectures use alpha = 0.1)."""
    xp = get_array_module(x)
    x = xp.asarray(x)
    return xp.where(x > 0, x, alpha * x)


def elu(x, alpha=1.0):
    """``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``."""
    xp = get_array_module(x)
    x = xp.asarray(x)
    return xp.where(x > 0, x, alpha * xp.expm1(xp.minimum(x, 0)))


def softmax(x):
    """Probabilities ``exp(x_i) / sum_j exp(x_j)`` over the last axis.

    The row maximum is subtracted first: the result is unchanged and
    ``exp`` never overflows, so scores of +-1000 are fine.

    Parameters
    ----------
    x : array_like, shape (C,) or (N, C)

    Returns
    -------
    ndarray, same shape as ``x``, rows summing to 1.
    """
    xp = get_array_module(x)
    x = xp.asarray(x)
    e = xp.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def sum_squared_error(y, t):
    """``0.5 * sum((y - t) ** 2)`` over all elements (the lectures' SSE).

    Parameters
    ----------
    y : array_like, shape (C,) or (N, C)
        Outputs (for example probabilities).
    t : array_like, same shape as ``y``
        One-hot targets.
    """
    y = as_numeric_array(y, "y")
    t = as_numeric_array(t, "t")
    if y.shape != t.shape:
        raise ValueError(f"y and t must have the same shape, got {tuple(y.shape)} and {tuple(t.shape)}")
    return 0.5 * float(((y - t) ** 2).sum())


def cross_entropy_error(y, t):
    """Batch-averaged cross-entropy ``-sum(t * log(y + 1e-7)) / N``, natural log.

    The lectures' worked table (0.15376 / 0.31541) used base-10 logarithms;
    this library uses natural logarithms, giving 0.3541 / 0.7263 for the same
    probabilities. The tiny ``1e-7`` keeps ``log(0)`` finite, as in the
    lectures.

    Parameters
    ----------
    y : array_like, shape (C,) or (N, C)
        Predicted probabilities.
    t : int, array_like of shape (N,) with class indices, or one-hot of ``y``'s shape
        True labels.

    Returns
    -------
    float
        The mean loss over the N samples (N = 1 for 1-D ``y``).
    """
    xp = get_array_module(y)
    y = as_numeric_array(y, "y")
    t = as_numeric_array(t, "t")
    check_ndim(y, "y", (1, 2))
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.ndim == 1 else t.reshape(1)
    n = y.shape[0]
    if t.ndim == 2:
        check_one_hot_shape(t, n, y.shape[1])
        return float(-(t * xp.log(y + LOG_EPSILON)).sum() / n)
    labels = labels_to_indices(t, n, y.shape[1])
    return float(-xp.log(y[xp.arange(n), labels] + LOG_EPSILON).sum() / n)
