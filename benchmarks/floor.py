"""The same epoch as one inline NumPy loop: no layers, no checks, no abstraction.

Not a peer: it shows how fast NumPy itself can run this step (float32, the
batch gathered with ``take(mode="clip")``, the first layer's dx skipped), so
that the cost of nnscratch's readable layers can be read off as a ratio.
"""

import time

import numpy as np


def inline_numpy_epoch(x, t, x_test, t_test, hidden, batch_size=100, lr=0.1, seed=0):
    rng = np.random.default_rng(seed)
    d, classes = x.shape[1], 10
    W1 = (rng.standard_normal((d, hidden)) * np.sqrt(2 / d)).astype(np.float32)
    W2 = (rng.standard_normal((hidden, classes)) * np.sqrt(2 / hidden)).astype(np.float32)
    b1, b2 = np.zeros(hidden, np.float32), np.zeros(classes, np.float32)
    xb, tb = np.empty((batch_size, d), np.float32), np.empty(batch_size, np.int64)
    start = time.perf_counter()
    order = rng.permutation(len(x))
    for s in range(0, len(x), batch_size):
        index = order[s : s + batch_size]
        n = len(index)
        xv, tv = xb[:n], tb[:n]
        np.take(x, index, axis=0, out=xv, mode="clip")
        np.take(t, index, axis=0, out=tv, mode="clip")
        h = xv @ W1
        h += b1
        mask = h > 0
        h = np.maximum(h, 0)
        scores = h @ W2
        scores += b2
        shifted = scores - scores.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        dscores = e / e.sum(axis=1, keepdims=True)
        dscores[np.arange(n), tv] -= 1
        dscores /= n
        dW2, db2 = h.T @ dscores, dscores.sum(axis=0)
        dh = (dscores @ W2.T) * mask
        dW1, db1 = xv.T @ dh, dh.sum(axis=0)
        W1 -= lr * dW1
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
    seconds = time.perf_counter() - start
    scores = np.maximum(x_test @ W1 + b1, 0) @ W2 + b2
    return seconds, float((scores.argmax(axis=1) == t_test).mean())
