"""The same epoch as one inline NumPy loop: no layers, no checks, no abstraction.

Not a peer: it shows how fast NumPy itself can run this step, so that the cost
of nnscratch's readable layers can be read off as a ratio. It is written as
tight as plain NumPy allows: float32; every array starting on a 64-byte cache
line, as nnscratch's weights and batches do (over-allocated and sliced, see
:mod:`nnscratch.alignment`); every batch-sized array, the ReLU mask included,
allocated once and written with ``out=``; the batch gathered with the arrays'
own ``take(mode="clip")`` (``np.take`` adds a Python call); reductions called as
ufunc methods (``np.add.reduce``: ``ndarray.sum`` adds a Python call); each row's
label score read and written through one flat index (``row * C + label``, half the
time of the pair ``(rows, labels)``); the first layer's dx skipped; the softmax
computed in place in the scores' buffer. It
computes what a ``Trainer.fit`` epoch reports, no more: the epoch's mean loss
(one log per row and one sum per batch) and training accuracy (one argmax per
batch into a hit-or-miss array, counted once per epoch, as the Trainer counts).
"""

import time

import numpy as np

from nnscratch.alignment import aligned, empty_aligned


def _buffers(batch_size, d, hidden, classes):
    """Every array a step writes, allocated once."""
    shapes = {
        "x": (batch_size, d),
        "h": (batch_size, hidden),
        "dh": (batch_size, hidden),
        "scores": (batch_size, classes),
        "dW1": (d, hidden),
        "dW2": (hidden, classes),
    }
    buffers = {name: empty_aligned(shape, np.float32) for name, shape in shapes.items()}
    buffers["mask"] = empty_aligned((batch_size, hidden), np.bool_)
    buffers["t"] = empty_aligned(batch_size, np.int64)
    buffers["label_at"] = empty_aligned(batch_size, np.int64)
    buffers["row_starts"] = aligned(np.arange(0, batch_size * classes, classes))
    return buffers


def _step(buf, x, t, index, W1, b1, W2, b2, lr, hits):
    """One SGD step on the rows ``index``; returns the batch's summed loss.

    ``hits`` (n,) bool receives whether each row's highest score is its label.
    """
    n = len(index)
    xv, tv = buf["x"][:n], buf["t"][:n]
    x.take(index, axis=0, out=xv, mode="clip")
    t.take(index, axis=0, out=tv, mode="clip")
    h = np.matmul(xv, W1, out=buf["h"][:n])
    h += b1
    np.maximum(h, 0, out=h)
    scores = np.matmul(h, W2, out=buf["scores"][:n])
    scores += b2
    np.equal(scores.argmax(axis=1), tv, out=hits)
    scores -= np.maximum.reduce(scores, axis=1, keepdims=True)
    flat, label_at = scores.reshape(-1), np.add(buf["row_starts"][:n], tv, out=buf["label_at"][:n])
    picked = flat[label_at]  # a copy: the shifted score of each row's label
    np.exp(scores, out=scores)
    sums = np.add.reduce(scores, axis=1, keepdims=True)
    scores /= sums
    picked -= np.log(sums, out=sums)[:, 0]  # log softmax[t] per row, exact under underflow
    loss = -float(np.add.reduce(picked))
    flat[label_at] -= 1
    scores *= lr / n  # dscores scaled by the learning rate: the updates below are plain subtractions
    dW2 = np.matmul(h.T, scores, out=buf["dW2"])
    dh = np.matmul(scores, W2.T, out=buf["dh"][:n])
    dh *= np.greater(h, 0, out=buf["mask"][:n])
    dW1 = np.matmul(xv.T, dh, out=buf["dW1"])
    W1 -= dW1
    b1 -= np.add.reduce(dh, axis=0)
    W2 -= dW2
    b2 -= np.add.reduce(scores, axis=0)
    return loss


def inline_numpy_epoch(x, t, x_test, t_test, hidden, batch_size=100, lr=0.1, seed=0):
    """One epoch of 784-hidden-10 ReLU with SGD. Returns (seconds, test accuracy)."""
    rng = np.random.default_rng(seed)
    d, classes = x.shape[1], 10
    W1 = aligned((rng.standard_normal((d, hidden)) * np.sqrt(2 / d)).astype(np.float32))
    W2 = aligned((rng.standard_normal((hidden, classes)) * np.sqrt(2 / hidden)).astype(np.float32))
    b1, b2 = aligned(np.zeros(hidden, np.float32)), aligned(np.zeros(classes, np.float32))
    buf = _buffers(batch_size, d, hidden, classes)
    hits = np.empty(len(x), dtype=bool)
    start = time.perf_counter()
    order = rng.permutation(len(x))
    loss_sum = 0.0
    for s in range(0, len(x), batch_size):
        loss_sum += _step(buf, x, t, order[s : s + batch_size], W1, b1, W2, b2, lr, hits[s : s + batch_size])
    epoch = {"loss": loss_sum / len(x), "train_accuracy": int(hits.sum()) / len(x)}  # what the Trainer reports
    seconds = time.perf_counter() - start
    assert np.isfinite(epoch["loss"])
    scores = np.maximum(x_test @ W1 + b1, 0) @ W2 + b2
    return seconds, float((scores.argmax(axis=1) == t_test).mean())
