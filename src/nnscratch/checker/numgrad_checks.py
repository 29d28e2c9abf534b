"""Checks for numerical_diff and numerical_gradient: a central difference
(on x**3 its error is h**2 at every x; a forward difference's grows with x),
any shape, integer input, and ``x`` put back as it was."""

import numpy as np

from nnscratch.checker.compare import FAIL, PASS, judge, rel_error, result, verdict


def _forward_difference_variant(exact_first, got_first, points):
    """What a forward difference on x**3 gives at ``points``, with the h it must have used.

    At x = 1 a forward difference returns 3 + 3h + h**2, so h is read off
    the learner's first value.
    """
    error = float(got_first) - exact_first
    if not np.isfinite(error) or error <= 0:
        return []
    h = (-3.0 + np.sqrt(9.0 + 4.0 * error)) / 2.0
    x = np.asarray(points, dtype=float)
    return [("numgrad-forward-difference", 3 * x**2 + 3 * x * h + h**2)]


def check_diff_value(f):
    value = f(lambda x: 0.01 * x**2 + 0.1 * x, 5.0)
    variants = [("numgrad-forward-difference", 0.0)] + [
        ("numgrad-forward-difference", 0.2 + 0.01 * h) for h in (1e-3, 1e-4, 1e-5, 1e-6)
    ]
    return judge("value", value, 0.2, variants, what="the derivative of 0.01x^2 + 0.1x at x = 5")


def check_diff_central(f):
    first, third = f(lambda x: x**3, 1.0), f(lambda x: x**3, 3.0)
    variants = [(m, v[1]) for m, v in _forward_difference_variant(3.0, first, [1.0, 3.0])]
    return judge("central-difference", third, 27.0, variants, what="the derivative of x^3 at x = 3")


def check_diff_integer(f):
    return judge("integer-input", f(lambda x: x**3, 2), 12.0, what="the derivative of x^3 at the int 2")


def check_grad_value(f):
    got = f(lambda x: np.sum(x**2), np.array([3.0, 4.0]))
    h = float(np.ravel(got)[0]) - 6.0 if np.size(got) == 2 else 0.0
    variants = [("numgrad-forward-difference", np.array([6.0 + h, 8.0 + h]))] if h > 0 else []
    return judge("value", got, np.array([6.0, 8.0]), variants, what="the gradient of x0^2 + x1^2 at (3, 4)")


def check_grad_central(f):
    points = np.array([1.0, 3.0, -2.0])
    got = f(lambda x: np.sum(x**3), points.copy())
    first = np.ravel(got)[0] if np.size(got) else np.nan
    return judge(
        "central-difference",
        got,
        3 * points**2,
        _forward_difference_variant(3.0, first, points),
        what="the gradient of sum(x^3)",
    )


def check_grad_shapes(f):
    for shape in ((2, 3), (2, 3, 2)):
        x = np.linspace(-1.0, 1.0, int(np.prod(shape))).reshape(shape)
        weights = np.arange(1.0, x.size + 1).reshape(shape)
        outcome = judge(
            "any-shape",
            f(lambda v, w=weights: np.sum(np.sin(v) * w), x.copy()),
            np.cos(x) * weights,
            what=f"the gradient for a {len(shape)}-D x",
        )
        if outcome["status"] != PASS:
            return outcome
    return outcome


def check_grad_integer(f):
    """Int input: wrong here but right for the same numbers as floats means x + h was truncated."""
    expected = np.array([6.0, 8.0])
    got = f(lambda x: np.sum(x**2), np.array([3, 4]))
    outcome = judge("integer-input", got, expected, what="the gradient of x0^2 + x1^2 at the ints (3, 4)")
    if outcome["status"] == PASS or outcome["key"] != "mismatch":
        return outcome
    if judge("integer-input", f(lambda x: np.sum(x**2), np.array([3.0, 4.0])), expected)["status"] != PASS:
        return outcome
    return result("integer-input", FAIL, "integer-truncated", **outcome["args"])


def check_grad_restored(f):
    x = np.array([[3.0, -4.0, 0.5], [1.5, 2.0, -0.25]])
    kept = x.copy()
    f(lambda v: np.sum(v**2), x)
    if verdict(rel_error(x, kept)) != PASS:
        return result("x-restored", FAIL, "numgrad-x-not-restored", "numgrad-x-not-restored")
    return result("x-restored", PASS, "x-kept")


def numgrad_checks(name, f):
    """``([(check name, callable)], None)`` for numerical_diff or numerical_gradient."""
    if name == "numerical_diff":
        return [
            ("value", lambda: check_diff_value(f)),
            ("central-difference", lambda: check_diff_central(f)),
            ("integer-input", lambda: check_diff_integer(f)),
        ], None
    return [
        ("value", lambda: check_grad_value(f)),
        ("central-difference", lambda: check_grad_central(f)),
        ("any-shape", lambda: check_grad_shapes(f)),
        ("integer-input", lambda: check_grad_integer(f)),
        ("x-restored", lambda: check_grad_restored(f)),
    ], None
