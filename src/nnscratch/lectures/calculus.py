"""Numerical differentiation and gradient descent, worked (SPEC 1.1)."""

import numpy as np

from nnscratch.numgrad import forward_diff, gradient_descent, numerical_diff, numerical_gradient


def function_1(x):
    """The lectures' ``f(x) = 0.01 x^2 + 0.1 x``; exact derivative ``0.02 x + 0.1``."""
    return 0.01 * x**2 + 0.1 * x


def function_2(x):
    """``f(x0, x1) = x0^2 + x1^2`` for x of shape (2,) (or (..., 2))."""
    return float(np.sum(np.asarray(x) ** 2))


def numdiff_story():
    """The h = 1e-4 central difference against the h = 1e-50 forward difference.

    Returns
    -------
    dict
        ``central`` and ``naive`` derivatives of :func:`function_1` at 5 and
        10 with the exact values, the partial derivatives of
        :func:`function_2` at (3, 4), and ``rounding``: ``5 + 1e-50 == 5``,
        the reason the naive version gives 0.0.
    """
    points = (5.0, 10.0)
    return {
        "central": {x: numerical_diff(function_1, x) for x in points},
        "naive": {x: forward_diff(function_1, x) for x in points},
        "exact": {x: 0.02 * x + 0.1 for x in points},
        "partials": numerical_gradient(function_2, np.array([3.0, 4.0])).tolist(),
        "rounding": bool(5.0 + 1e-50 == 5.0),
        "float32_of_1e-50": float(np.float32(1e-50)),
    }


def descent_runs(init_x=(-3.0, 4.0), step_num=20, learning_rates=(0.1, 10.0, 1e-10)):
    """Gradient descent on :func:`function_2` for each learning rate.

    Returns
    -------
    dict[float, tuple[ndarray (2,), ndarray (step_num, 2)]]
        learning rate -> (end point, path before each step).
    """
    return {lr: gradient_descent(function_2, np.array(init_x), lr=lr, step_num=step_num) for lr in learning_rates}
