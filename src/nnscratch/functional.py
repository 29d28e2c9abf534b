"""Activation and loss functions as pure array formulas (SPEC 1.1).

Shapes: ``x`` is any array unless stated; for batches, N is the batch size and
C the number of classes. Every function accepts NumPy or CuPy arrays and
returns an array of the same module.

Inputs are checked for what would otherwise fail deep inside NumPy or give a
wrong number: non-numeric or boolean arrays are a ``TypeError`` naming the
argument; integer arrays are computed in float64 (so that ``-x`` or
``x - max`` cannot wrap around). The activations let NaN and infinity through
as IEEE arithmetic does (they are inner formulas, run on every batch; a check
would cost a pass over the data and a wait for the GPU); the losses, whose
number a user reads, refuse them.
"""

import numbers

import numpy as np

from nnscratch.backend import get_array_module
from nnscratch.validation import (
    as_numeric_array,
    check_ndim,
    check_one_hot_shape,
    check_target_rows,
    labels_to_indices,
)

# The lectures' guard against log(0) in cross_entropy_error.
LOG_EPSILON = 1e-7


def _values(x, name="x", *, finite=False, as_float=False):
    """``x`` as a numeric array (``TypeError`` naming ``name`` if not); integers become float64 on request."""
    x = as_numeric_array(x, name, finite=finite)
    return x.astype(np.float64) if as_float and x.dtype.kind in "iu" else x


def _check_alpha(alpha, dtype):
    """A finite real slope ``alpha`` (of leaky_relu and elu) that ``x``'s float ``dtype`` can hold.

    An alpha beyond the dtype's range would become infinity there, and
    ``inf * 0`` is NaN: leaky_relu(0) would be NaN.
    """
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha must be a real number, got {type(alpha).__name__} {alpha!r}")
    largest = float(np.finfo(dtype).max)
    if not abs(float(alpha)) <= largest:
        raise ValueError(
            f"alpha must be a finite number of at most {largest:g} in size for x of {dtype}, got {alpha!r}"
        )
    return float(alpha)


def step_function(x):
    """Heaviside step: 1 where ``x > 0``, else 0, as int64 of ``x``'s shape."""
    return (_values(x) > 0).astype(np.int64)


def sigmoid(x):
    """Logistic function ``1 / (1 + exp(-x))``, stable for scores of +-1000.

    Only ``exp(-|x|)`` is evaluated, which never overflows; the two branches
    ``1 / (1 + e)`` and ``e / (1 + e)`` are the same formula rearranged.
    """
    xp = get_array_module(x)
    x = _values(x, as_float=True)
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(x):
    """Hyperbolic tangent ``(exp(x) - exp(-x)) / (exp(x) + exp(-x))``."""
    xp = get_array_module(x)
    return xp.tanh(_values(x, as_float=True))


def relu(x):
    """Rectified linear unit ``max(0, x)``."""
    xp = get_array_module(x)
    return xp.maximum(_values(x), 0)


def leaky_relu(x, alpha=0.1):
    """``x`` where ``x > 0``, else ``alpha * x`` (the lectures use alpha = 0.1)."""
    xp = get_array_module(x)
    x = _values(x, as_float=True)
    alpha = _check_alpha(alpha, x.dtype)
    return xp.where(x > 0, x, alpha * x)


def elu(x, alpha=1.0):
    """``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``."""
    xp = get_array_module(x)
    x = _values(x, as_float=True)
    alpha = _check_alpha(alpha, x.dtype)
    return xp.where(x > 0, x, alpha * xp.expm1(xp.minimum(x, 0)))


def softmax(x):
    """Probabilities ``exp(x_i) / sum_j exp(x_j)`` over the last axis.

    The row maximum is subtracted first: the result is unchanged and
    ``exp`` never overflows, so scores of +-1000 are fine.

    Parameters
    ----------
    x : array_like, shape (C,) or (N, C), C >= 1

    Returns
    -------
    ndarray, same shape as ``x``, rows summing to 1.
    """
    xp = get_array_module(x)
    x = _values(x, as_float=True)
    check_ndim(x, "x", (1, 2))
    if x.shape[-1] == 0:
        raise ValueError(f"x must hold at least one class score per row, got an array of shape {tuple(x.shape)}")
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
    # In float64 whatever the inputs: a float16 difference of 300 would square to infinity.
    y = _values(y, "y", finite=True).astype(np.float64)
    t = _values(t, "t", finite=True).astype(np.float64)
    if y.shape != t.shape:
        raise ValueError(f"y and t must have the same shape, got {tuple(y.shape)} and {tuple(t.shape)}")
    with np.errstate(over="ignore"):  # beyond 1e154 the square is inf, which is the right answer
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

    Raises
    ------
    TypeError
        If ``y`` or ``t`` is not numeric, or index labels are not whole numbers.
    ValueError
        If ``y`` is empty, negative or not finite, or ``t`` does not fit ``y``: indices
        outside ``[0, C)``, or one-hot rows that are not non-negative and summing to 1.
    """
    xp = get_array_module(y)
    y = _values(y, "y", finite=True).astype(np.float64)  # float16's 1e-7 would round the guard off
    t = _values(t, "t", finite=True)
    check_ndim(y, "y", (1, 2))
    if y.ndim == 1:
        check_ndim(t, "t (for a 1-D y: a class index or a one-hot vector)", (0, 1))
        y, t = y.reshape(1, -1), t.reshape(1, -1) if t.ndim == 1 else t.reshape(1)
    n, c = y.shape
    if n == 0 or c == 0:
        raise ValueError(f"y must hold at least one sample and one class, got an array of shape {(n, c)}")
    if float(y.min()) < 0:
        raise ValueError(f"y must hold probabilities (>= 0), got a minimum of {float(y.min()):g}")
    if t.ndim == 2:
        check_one_hot_shape(t, n, c)
        check_target_rows(t)
        return float(-(t * xp.log(y + LOG_EPSILON)).sum() / n)
    labels = labels_to_indices(t, n, c)
    return float(-xp.log(y[xp.arange(n), labels] + LOG_EPSILON).sum() / n)
