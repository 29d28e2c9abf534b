"""How an output is judged: relative error, verdicts, known-wrong variants.

Every check returns a result ``dict`` built here:
``{"check", "status", "mistake", "key", "args"}``. ``key`` and ``args``
name a message in :mod:`nnscratch.checker.messages`, rendered later in the
reader's language, so the learner's process never needs to know it.
"""

import zlib

import numpy as np

PASS, WARN, FAIL, ERROR = "pass", "warn", "fail", "error"

# Relative error at or below PASS_TOL passes, at or below WARN_TOL warns, above fails.
PASS_TOL, WARN_TOL = 1e-7, 1e-4
# A learner's output "is" a known-wrong variant when it is this close to it.
MATCH_TOL = 1e-6
# The shapes of every check: batch N, input features D, output features M.
N, D, M = 3, 5, 4


def result(check, status, key, mistake=None, **args):
    """One check's verdict; ``args`` fill the message named by ``key`` (kept JSON-able)."""
    args = {k: v if isinstance(v, (str, int, float)) else str(v) for k, v in args.items()}
    return {"check": check, "status": status, "mistake": mistake, "key": key, "args": args}


def rng_for(tag):
    """A Generator seeded from ``tag``, so every input is the same on every run."""
    return np.random.default_rng(zlib.crc32(tag.encode()))


def away_from_zero(rng, shape, low=0.2, high=1.5):
    """float64 values with ``low <= |x| <= high``: far from ReLU's kink at 0."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


def as_float_array(value):
    """``value`` as a float64 array, or None when it is not numbers."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def rel_error(observed, expected):
    """Largest elementwise ``|a - b| / (|a| + |b|)``, inf when ``observed`` is not finite.

    Elements a thousand times smaller than the largest one are judged against
    a thousandth of the largest, so the rounding noise of a central
    difference on a near-zero gradient does not count as an error.
    """
    a, b = np.asarray(observed, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        return float("inf")
    scale = max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0))
    if scale == 0.0:
        return 0.0
    denominator = np.maximum(np.abs(a) + np.abs(b), 1e-3 * scale)
    return float((np.abs(a - b) / denominator).max())


def verdict(error):
    """PASS, WARN or FAIL for a relative error."""
    if error <= PASS_TOL:
        return PASS
    return WARN if error <= WARN_TOL else FAIL


def same(observed, variant):
    """True when ``observed`` equals ``variant``: same shape, same non-finite places, close values."""
    a, b = as_float_array(observed), as_float_array(variant)
    if a is None or b is None or a.shape != b.shape:
        return False
    finite_a, finite_b = np.isfinite(a), np.isfinite(b)
    if not np.array_equal(finite_a, finite_b):
        return False
    if not np.array_equal(a[~finite_a], b[~finite_b], equal_nan=True):
        return False
    return rel_error(a[finite_a], b[finite_b]) <= MATCH_TOL


def match(observed, variants):
    """The id of the first ``(id, output)`` in ``variants`` that ``observed`` equals, else None."""
    for mistake, output in variants:
        if same(observed, output):
            return mistake
    return None


def worst_element(observed, expected):
    """``(index, observed value, expected value)`` where the two differ most."""
    difference = np.atleast_1d(np.abs(np.asarray(observed, dtype=np.float64) - expected))
    difference[~np.isfinite(difference)] = np.inf
    index = np.unravel_index(int(np.argmax(difference)), difference.shape) if np.ndim(expected) else ()
    return tuple(int(i) for i in index), float(np.asarray(observed)[index]), float(np.asarray(expected)[index])


def judge(check, observed, expected, variants=(), what="output", numeric=False):
    """Compare ``observed`` with ``expected``; name a known mistake when it fails.

    Parameters
    ----------
    check : str
    observed : array_like or scalar
        What the learner's code returned.
    expected : ndarray or float
        The reference value.
    variants : iterable of (str, ndarray)
        Known-wrong outputs with their mistake ids.
    what : str
        What is being compared, for the message ("dx", "the loss").
    numeric : bool
        True when ``expected`` is a central difference rather than the library's value.
    """
    array = as_float_array(observed)
    expected = np.asarray(expected, dtype=np.float64)
    if array is None:
        return result(check, FAIL, "not-numbers", what=what, received=type(observed).__name__)
    if array.shape != expected.shape:
        mistake = match(array, variants)
        key = mistake or "wrong-shape"
        return result(check, FAIL, key, mistake, what=what, expected=tuple(expected.shape), received=tuple(array.shape))
    error = rel_error(array, expected)
    status = verdict(error)
    if status == PASS:
        return result(check, PASS, "close-numeric" if numeric else "close", what=what, error=f"{error:.1e}")
    mistake = match(array, variants)
    if mistake is not None:
        return result(check, FAIL, mistake, mistake, what=what, error=f"{error:.1e}")
    index, got, want = worst_element(array, expected)
    key = "slightly-off" if status == WARN else "mismatch"
    return result(
        check, status, key, what=what, error=f"{error:.1e}", index=index, expected=f"{want:.6g}", received=f"{got:.6g}"
    )


def numeric_gradient(f, x, h=1e-5):
    """Central-difference gradient of the scalar ``f()`` with respect to the array ``x``.

    ``x`` is moved in place, one element at a time, and put back; ``f``
    reads it (a layer's own ``W``, or an input that ``f`` copies). The step
    is ``h`` times the largest ``|x|`` when that exceeds 1, so that inputs in
    the thousands are moved by the same relative amount as inputs near 1.
    """
    h = h * max(1.0, float(np.abs(x).max(initial=0.0)))
    grad = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f()
        x[index] = original - h
        f_minus = f()
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def extrapolated_gradient(f, x, h=1e-3):
    """``(4 g(h/2) - g(h)) / 3`` from two central differences (Richardson).

    The h**2 terms cancel, leaving an error of order h**4: a step large
    enough that rounding stays far below 1e-7 even for the tiny gradients of
    a network's unlikely classes, and small truncation error for all others.
    """
    return (4 * numeric_gradient(f, x, h / 2) - numeric_gradient(f, x, h)) / 3
