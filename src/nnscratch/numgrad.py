"""Numerical differentiation and gradient descent (SPEC 1.1).

Central differences ``(f(x + h) - f(x - h)) / (2h)`` with ``h = 1e-4``: small
enough to be close to the derivative, large enough that ``x + h`` and ``x - h``
still differ in floating point. With ``h = 1e-50`` they do not
(``np.float32(1e-50) == 0``), so the naive forward difference returns 0.
"""

import numpy as np

from nnscratch.validation import as_numeric_array, check_positive_int


def numerical_diff(f, x, h=1e-4):
    """Derivative of a scalar function by the central difference.

    Parameters
    ----------
    f : callable, float -> float
    x : float
    h : float, default=1e-4

    Returns
    -------
    float
        ``(f(x + h) - f(x - h)) / (2 * h)``.
    """
    return (f(x + h) - f(x - h)) / (2 * h)


def forward_diff(f, x, h=1e-50):
    """The naive ``(f(x + h) - f(x)) / h``, kept to show why it fails.

    With the default ``h = 1e-50``, ``x + h == x`` in float64 for any ``x``
    of ordinary size, so the result is exactly 0.0.
    """
    return (f(x + h) - f(x)) / h


def numerical_gradient(f, x, h=1e-4):
    """Gradient of a scalar function of an array, element by element.

    Each element of ``x`` is moved by +-h in place, ``f`` is evaluated, and
    the element is put back exactly as it was, so ``f`` may read ``x`` itself
    (``lambda _: net.loss(x, t)`` with ``x = net.params["W1"]`` works, as in
    the lectures). Integer input is copied to float64 first, since it cannot
    hold ``x + h``; then ``f`` must use its argument.

    Parameters
    ----------
    f : callable, ndarray -> float
    x : ndarray of any shape
    h : float, default=1e-4

    Returns
    -------
    ndarray of float, shape of ``x``
        The central-difference gradient. ``x`` is left unchanged.
    """
    x = as_numeric_array(x, "x", finite=False)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    grad = np.zeros(x.shape, dtype=x.dtype)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """Minimise ``f`` by ``x <- x - lr * grad f(x)`` with numerical gradients.

    Parameters
    ----------
    f : callable, ndarray -> float
    init_x : array_like, shape (D,)
        Starting point; it is copied, not modified.
    lr : float, default=0.01
        Learning rate (step size).
    step_num : int, default=100
        Number of steps.

    Returns
    -------
    x : ndarray of float64, shape (D,)
        The end point.
    history : ndarray of float64, shape (step_num, D)
        The point before each step, to plot the path.
    """
    check_positive_int(step_num, "step_num")
    x = as_numeric_array(init_x, "init_x").astype(np.float64).copy()
    history = []
    for _ in range(step_num):
        history.append(x.copy())
        x -= lr * numerical_gradient(f, x)
    return x, np.array(history)
