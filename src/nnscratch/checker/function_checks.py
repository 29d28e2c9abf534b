"""Checks for the activation functions and softmax: values on 1-D and 2-D
input, the argument left alone, scores of +-1000, and softmax's two laws
(rows sum to 1; a per-row shift changes nothing)."""

import warnings

import numpy as np

import nnscratch
from nnscratch.checker.compare import FAIL, PASS, N, as_float_array, away_from_zero, judge, match, result, rng_for

C = 4  # classes for softmax: not N, so that normalising the wrong axis shows
LARGE = np.array([[1000.0, 999.0, -1000.0, 0.5], [-1000.0, -999.0, -998.0, -1000.0], [3.0, -2.0, 1000.0, 998.0]])


def _wrong_axis(x):
    """Softmax normalised over the batch axis, and over the whole array."""
    with np.errstate(all="ignore"):
        e = np.exp(x - x.max())
        if x.ndim == 1:
            return []
        return [("softmax-wrong-axis", e / e.sum(axis=0, keepdims=True)), ("softmax-wrong-axis", e / e.sum())]


def _no_shift(x):
    with np.errstate(all="ignore"):
        return [("softmax-no-max-shift", np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True))]


def _inputs(shape):
    return away_from_zero(rng_for(f"fn{shape}"), shape)


def check_values(name, f, shape):
    x = _inputs(shape)
    expected = getattr(nnscratch, name)(x.copy())
    variants = _wrong_axis(x) if name == "softmax" else []
    check = f"values-{len(shape)}d"
    return judge(check, f(x.copy()), expected, variants, what=f"{name}(x)")


def check_input_unchanged(name, f):
    x = _inputs((N, C))
    kept = x.copy()
    f(x)
    if not np.array_equal(x, kept):
        return result("input-unchanged", FAIL, "mutates-input", "mutates-input", method=name)
    return result("input-unchanged", PASS, "inputs-kept")


def check_large_inputs(name, f):
    """Scores of +-1000: the result must be finite and right; an overflow on the way is noted."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
        warnings.simplefilter("always")
        out = f(LARGE.copy())
    expected = getattr(nnscratch, name)(LARGE.copy())
    array = as_float_array(out)
    if array is None or array.shape != expected.shape or not np.all(np.isfinite(array)):
        mistake = match(out, _no_shift(LARGE)) if name == "softmax" else None
        return result("large-inputs", FAIL, mistake or "not-finite", mistake, what=f"{name}(x)")
    verdict = judge("large-inputs", out, expected, what=f"{name}(x)")
    overflowed = any("overflow" in str(w.message) for w in caught)
    if verdict["status"] == PASS and overflowed:
        return result("large-inputs", PASS, "overflow-harmless", what=f"{name}(x)")
    return verdict


def check_rows_sum(f):
    x = _inputs((N, C))
    sums = as_float_array(f(x.copy()))
    variants = [(m, v.sum(axis=-1)) for m, v in _wrong_axis(x)]
    sums = sums.sum(axis=-1) if sums is not None and sums.ndim == 2 else sums
    return judge("rows-sum-to-one", sums, np.ones(N), variants, what="the sum of each row")


def check_row_shift(f):
    x = _inputs((N, C))
    shifted = x + np.array([[5.0], [-3.0], [40.0]])
    return judge("row-shift", f(shifted), nnscratch.softmax(x), _wrong_axis(shifted), what="softmax(x + c)")


def function_checks(name, f):
    """``([(check name, callable)], None)`` for an activation function or softmax."""
    checks = [
        ("values-2d", lambda: check_values(name, f, (N, C))),
        ("values-1d", lambda: check_values(name, f, (C + 1,))),
        ("input-unchanged", lambda: check_input_unchanged(name, f)),
        ("large-inputs", lambda: check_large_inputs(name, f)),
    ]
    if name == "softmax":
        checks += [("rows-sum-to-one", lambda: check_rows_sum(f)), ("row-shift", lambda: check_row_shift(f))]
    return checks, None
