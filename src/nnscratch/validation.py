"""Checks that turn a user's mistake into one clear sentence.

Every message names the argument, what was expected and what was received, so
that a learner never has to decode a NumPy broadcasting or index error.
"""

import math
import numbers

import numpy as np

from nnscratch.backend import get_array_module


def as_numeric_array(x, name, *, finite=True):
    """Return ``x`` as an array of a numeric dtype, or raise a clear error.

    Parameters
    ----------
    x : array_like
        Any array-like of numbers.
    name : str
        The argument's name, used in the error message.
    finite : bool, default=True
        Also reject NaN and infinite values.

    Raises
    ------
    TypeError
        If ``x`` is not made of numbers (strings, objects, booleans).
    ValueError
        If ``finite`` and ``x`` holds NaN or inf.
    """
    if not finite and type(x) is np.ndarray and x.dtype.kind in "iuf":
        return x  # already a numeric array: the layers' per-step call costs one type test
    xp = get_array_module(x)
    try:
        array = xp.asarray(x)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a numeric array, got {type(x).__name__}: {error}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a numeric array (int or float), got dtype {array.dtype}")
    if finite and array.dtype.kind == "f" and not _all_finite(array, xp):
        bad = int((~xp.isfinite(array)).sum())
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); expected finite numbers")
    return array


def as_finite_input(x, dtype, xp, name="x"):
    """Return ``x`` cast to a model's float ``dtype`` on array module ``xp``, checked finite after the cast.

    The order matters: 1e39 is finite in float64 but infinite in float32, so
    a check before the cast would let a float32 model return -inf scores.

    Raises
    ------
    TypeError
        If ``x`` is not made of numbers.
    ValueError
        If ``x`` holds NaN or inf, or values that ``dtype`` cannot represent.
    """
    x = as_numeric_array(x, name, finite=False)
    with np.errstate(over="ignore"):  # the overflow is reported below, in words
        cast = xp.asarray(x, dtype=dtype)
    if cast.dtype.kind != "f" or _all_finite(cast, xp):
        return cast
    as_numeric_array(x, name)  # NaN or inf before the cast: "x contains k NaN or infinite value(s)"
    bad = int((~xp.isfinite(cast)).sum())
    largest = float(np.finfo(cast.dtype).max)
    raise ValueError(
        f"{name} holds {bad} value(s) too large for the model's dtype {cast.dtype} (at most {largest:g} in size); "
        "scale the data, or use a float64 model"
    )


def check_pair(data, name):
    """Return ``data`` as ``(x, t)`` if it is a tuple or list of two, else raise ``TypeError`` naming ``name``."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        got = (
            f"a {type(data).__name__} of length {len(data)}" if isinstance(data, (tuple, list)) else type(data).__name__
        )
        raise TypeError(f"{name} must be a pair (x, t), got {got}")
    return tuple(data)


def _all_finite(array, xp):
    """True when every element is finite.

    A NaN or inf anywhere makes the sum NaN or inf, so one summing pass (no
    boolean array the size of the data) settles the usual case; only a
    non-finite sum, which large finite values can also cause, gets the
    elementwise check.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if bool(xp.isfinite(array.sum())):
            return True
    return bool(xp.isfinite(array).all())


def check_ndim(x, name, ndims):
    """Raise ``ValueError`` unless ``x.ndim`` is one of ``ndims``."""
    if x.ndim not in ndims:
        wanted = " or ".join(f"{n}-D" for n in ndims)
        raise ValueError(f"{name} must be {wanted}, got an array of shape {tuple(x.shape)}")


def labels_to_indices(t, n_samples, n_classes, name="t"):
    """Return integer class indices of shape (N,) from one-hot or integer labels.

    Parameters
    ----------
    t : array_like, shape (N,) of int or (N, C) one-hot
        Labels for a batch of ``n_samples`` scores over ``n_classes`` classes.
    n_samples : int
        N, the batch size the labels must match.
    n_classes : int
        C, the number of classes (the scores' width).

    Raises
    ------
    ValueError
        On a batch-size mismatch, a one-hot width that is not C, a one-hot
        row that is no distribution (all zero, negative, not summing to 1),
        or an index outside ``[0, C)``.
    TypeError
        On non-integer label indices.
    """
    t = as_numeric_array(t, name)
    if t.ndim == 2:
        check_one_hot_shape(t, n_samples, n_classes, name)
        check_target_rows(t, name)  # an all-zero row has an argmax of 0: class 0, silently
        return t.argmax(axis=1)
    check_ndim(t, name, (1,))
    if t.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {t.shape[0]} labels but the scores have {n_samples} rows; the batch sizes must match"
        )
    return check_class_indices(t, n_classes, name)


def check_one_hot_shape(t, n_samples, n_classes, name="t"):
    """Raise ``ValueError`` unless the 2-D target ``t`` has shape (N, C)."""
    if t.shape[0] != n_samples:
        raise ValueError(f"{name} has {t.shape[0]} rows but the scores have {n_samples}; the batch sizes must match")
    if t.shape[1] != n_classes:
        raise ValueError(
            f"one-hot {name} must have {n_classes} columns to match the scores, got an array of shape {tuple(t.shape)}"
        )


def check_class_indices(t, n_classes, name="t"):
    """Return integer labels ``t`` after checking they lie in ``[0, n_classes)``."""
    if t.dtype.kind == "f":
        if t.size and not bool((t == t.round()).all()):
            raise TypeError(f"{name} must hold integer class indices, got non-integer values of dtype {t.dtype}")
        t = t.astype(np.int64)
    if t.size:
        low, high = int(t.min()), int(t.max())
        if low < 0 or high >= n_classes:
            raise ValueError(f"{name} must hold class indices in [0, {n_classes - 1}], got values from {low} to {high}")
    return t


def check_positive_int(value, name):
    """Return ``value`` if it is an integer > 0, else raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_finite_real(value, name):
    """Return ``value`` as a float if it is a finite real number (not a bool), else raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def as_generator(seed, name="seed"):
    """``numpy.random.default_rng(seed)``, with an error naming ``name`` for what it cannot take.

    ``seed`` may be None, an integer >= 0, a sequence of them, or a Generator.
    """
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as error:
        kind = ValueError if isinstance(seed, numbers.Integral) else TypeError
        raise kind(f"{name} must be None, an integer >= 0 or a numpy Generator, got {seed!r} ({error})") from None


def as_float_dtype(dtype, name="dtype"):
    """``numpy.dtype(dtype)`` if it is a floating-point type, else a clear error naming ``name``."""
    try:
        result = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name} must be a floating-point dtype such as 'float32', got {dtype!r}") from None
    if result.kind != "f":
        raise TypeError(f"{name} must be a floating-point dtype such as 'float32', got {result}")
    return result


def check_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError``."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


class Interval:
    """A range of allowed finite numbers, e.g. ``Interval(0, 1, closed="left")`` for ``[0, 1)``.

    The one place where a range is written down and checked: optimizers,
    schedules, layers, models, the scikit-learn wrapper and the command
    line's option types all describe their ranges with it.

    NaN and the infinities are never inside: a hyperparameter of ``inf``
    (``lr = inf``, ``reg = inf``) only ever turns weights into NaN.

    Parameters
    ----------
    low, high : float or None
        The bounds; None for no bound on that side (any finite number).
    closed : {"left", "right", "both", "neither"}, default="both"
        Which bounds belong to the interval.

    Examples
    --------
    >>> str(Interval(0, 1, closed="left")), str(Interval(0, None, closed="neither"))
    ('in [0, 1)', '> 0')
    >>> Interval(0, 1, closed="left").check(1.5, "momentum")
    Traceback (most recent call last):
    ValueError: momentum must be in [0, 1), got 1.5
    """

    def __init__(self, low=None, high=None, closed="both"):
        check_choice(closed, "closed", ("left", "right", "both", "neither"))
        self.low, self.high, self.closed = low, high, closed

    def __contains__(self, value):
        if not math.isfinite(value):  # NaN compares False anyway; inf would pass "> 0"
            return False
        left, right = self.closed in ("left", "both"), self.closed in ("right", "both")
        above = self.low is None or (value >= self.low if left else value > self.low)
        below = self.high is None or (value <= self.high if right else value < self.high)
        return bool(above and below)

    def __str__(self):
        left, right = self.closed in ("left", "both"), self.closed in ("right", "both")
        if self.high is None:
            return f"{'>=' if left else '>'} {self.low:g}"
        if self.low is None:
            return f"{'<=' if right else '<'} {self.high:g}"
        return f"in {'[' if left else '('}{self.low:g}, {self.high:g}{']' if right else ')'}"

    def __repr__(self):
        return f"Interval({self.low!r}, {self.high!r}, closed={self.closed!r})"

    def check(self, value, name):
        """Return ``value`` as a float if it is a number inside the interval, else raise.

        Raises
        ------
        TypeError
            If ``value`` is not a real number (a string, None, a bool).
        ValueError
            If it lies outside (NaN and inf always do); the message names ``name``, the range and the value.
        """
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a number {self}, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number {self}, got {value!r}")
        if value not in self:
            raise ValueError(f"{name} must be {self}, got {value!r}")
        return float(value)


POSITIVE = Interval(0, None, closed="neither")
NONNEGATIVE = Interval(0, None, closed="left")
UNIT_LEFT_CLOSED = Interval(0, 1, closed="left")


def check_target_rows(t, name="t"):
    """Raise ``ValueError`` unless every row of the 2-D target ``t`` is a probability distribution.

    One-hot rows are the usual case; soft labels (non-negative, summing to 1)
    are accepted too. An all-zero row (a sample with no class) or a negative
    entry would give a meaningless loss such as -0.0, so both are refused.
    """
    xp = get_array_module(t)
    if not t.size:
        return
    low = float(t.min())
    sums = t.sum(axis=1)
    worst = int(xp.abs(sums - 1).argmax())
    if low < 0 or abs(float(sums[worst]) - 1) > 1e-3:  # room for rounding in float16 soft labels
        raise ValueError(
            f"each row of one-hot {name} must be non-negative and sum to 1 (one-hot or class probabilities), "
            f"got a minimum of {low:g} and row {worst} summing to {float(sums[worst]):g}"
        )
