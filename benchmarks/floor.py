"""The same epoch as one inline NumPy loop: no layers, no checks, no abstraction.

Not a peer: it shows how fast NumPy itself can run this step, so that the cost
of nnscratch's readable layers can be read off as a ratio. It is written as
tight as plain NumPy allows: float32; every array starting on a 64-byte cache
line, as nnscratch's weights and batches do (over-allocated and sliced, see
:mod:`nnscratch.alignment`); every batch-sized array allocated once and written
with ``out=``; the batch gathered with ``take(mode="clip")``; the first layer's
dx skipped; the ReLU mask read from the activation itself; the softmax computed
in place in the scores' buffer. It computes what a ``Trainer.fit`` epoch
reports, no more: the epoch's mean loss and training accuracy (one log per
batch over C values, one argmax), besides the update.
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
    buffers["t"] = empty_aligned(batch_size, np.int64)
    buffers["rows"] = aligned(np.arange(batch_size))
    return buffers


def _step(buf, x, t, index, W1, b1, W2, b2, lr):
    """One SGD step on the rows ``index``; returns (summed loss, correct count) of the batch."""
    n = len(index)
    xv, tv, rows = buf["x"][:n], buf["t"][:n], buf["rows"][:n]
    np.take(x, index, axis=0, out=xv, mode="clip")
    np.take(t, index, axis=0, out=tv, mode="clip")
    h = np.matmul(xv, W1, out=buf["h"][:n])
    h += b1
    np.maximum(h, 0, out=h)
    scores = np.matmul(h, W2, out=buf["scores"][:n])
    scores += b2
    correct = int(np.count_nonzero(scores.argmax(axis=1) == tv))
    scores -= scores.max(axis=1, keepdims=True)
    picked = scores[rows, tv]  # a copy: the shifted score of each row's label
    np.exp(scores, out=scores)
    sums = scores.sum(axis=1)
    loss = float(np.log(sums).sum() - picked.sum())  # -sum log softmax[t], exact under underflow
    scores /= sums[:, None]
    scores[rows, tv] -= 1
    scores *= lr / n  # dscores scaled by the learning rate: the updates below are plain subtractions
    dW2 = np.matmul(h.T, scores, out=buf["dW2"])
    dh = np.matmul(scores, W2.T, out=buf["dh"][:n])
    dh *= h > 0
    dW1 = np.matmul(xv.T, dh, out=buf["dW1"])
    W1 -= dW1
    b1 -= dh.sum(axis=0)
    W2 -= dW2
    b2 -= scores.sum(axis=0)
    return loss, correct


def inline_numpy_epoch(x, t, x_test, t_test, hidden, batch_size=100, lr=0.1, seed=0):
    """One epoch of 784-hidden-10 ReLU with SGD. Returns (seconds, test accuracy)."""
    rng = np.random.default_rng(seed)
    d, classes = x.shape[1], 10
    W1 = aligned((rng.standard_normal((d, hidden)) * np.sqrt(2 / d)).astype(np.float32))
    W2 = aligned((rng.standard_normal((hidden, classes)) * np.sqrt(2 / hidden)).astype(np.float32))
    b1, b2 = aligned(np.zeros(hidden, np.float32)), aligned(np.zeros(classes, np.float32))
    buf = _buffers(batch_size, d, hidden, classes)
    start = time.perf_counter()
    order = rng.permutation(len(x))
    loss_sum, correct = 0.0, 0
    for s in range(0, len(x), batch_size):
        batch_loss, batch_correct = _step(buf, x, t, order[s : s + batch_size], W1, b1, W2, b2, lr)
        loss_sum, correct = loss_sum + batch_loss, correct + batch_correct
    epoch = {"loss": loss_sum / len(x), "train_accuracy": correct / len(x)}  # what the Trainer reports
    seconds = time.perf_counter() - start
    assert np.isfinite(epoch["loss"])
    scores = np.maximum(x_test @ W1 + b1, 0) @ W2 + b2
    return seconds, float((scores.argmax(axis=1) == t_test).mean())
