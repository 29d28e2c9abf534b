"""Wrong on purpose: cross-entropy-log-zero."""

import numpy as np


def cross_entropy_error(y, t):
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1)
    if t.size != y.size:
        t = np.eye(y.shape[1])[t]
    return -np.sum(t * np.log(y)) / y.shape[0]
