"""Wrong on purpose: numgrad-forward-difference, in both functions."""

import numpy as np


def numerical_diff(f, x):
    h = 1e-4
    return (f(x + h) - f(x)) / h


def numerical_gradient(f, x):
    h = 1e-4
    x = x.astype(float) if x.dtype.kind != "f" else x
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        fx = f(x)
        x[idx] = old + h
        grad[idx] = (f(x) - fx) / h
        x[idx] = old
    return grad
