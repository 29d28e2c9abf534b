"""Mini-batches without copying the data set: the one place for batching speed tricks.

Each epoch shuffles an index once; each batch is gathered with ``take(...,
out=...)`` into buffers allocated once per ``fit``, so no step allocates a
batch-sized array or copies the whole data set.
"""

import numpy as np

from nnscratch.alignment import empty_aligned
from nnscratch.backend import get_array_module


class BatchGatherer:
    """Gathers rows of ``x`` and ``t`` into reusable buffers.

    Parameters
    ----------
    x : ndarray, shape (N, ...)
    t : ndarray of int, shape (N,)
    batch_size : int
        B; the last batch of an epoch may be smaller (a view of the buffers).
        A B above N gives one batch of all N rows: the buffers hold
        ``min(B, N)`` rows, never B (``batch_size=10**12`` on four rows
        would otherwise ask for terabytes).
    """

    def __init__(self, x, t, batch_size):
        xp = get_array_module(x)
        self.x, self.t = x, t
        self.batch_size = max(min(batch_size, len(t)), 1)
        # On a cache line: the batch is read in full by the first layer's two matrix products.
        self.x_buffer = empty_aligned((self.batch_size, *x.shape[1:]), x.dtype, xp)
        self.t_buffer = empty_aligned(self.batch_size, t.dtype, xp)
        # mode="clip": the indices come from our own permutation, so the bounds check of
        # NumPy's default mode, which also buffers ``out``, is wasted work. CuPy's take has
        # no ``mode`` (and no bounds check to skip).
        self.take_options = {"mode": "clip"} if xp is np else {}

    def batches(self, order):
        """Yield ``(x_batch, t_batch)`` views, in the order of the index array ``order`` (N,)."""
        for start in range(0, len(order), self.batch_size):
            index = order[start : start + self.batch_size]
            n = len(index)
            x_batch, t_batch = self.x_buffer[:n], self.t_buffer[:n]
            self.x.take(index, axis=0, out=x_batch, **self.take_options)  # the method: no Python wrapper per call
            self.t.take(index, axis=0, out=t_batch, **self.take_options)
            yield x_batch, t_batch

    def __len__(self):
        return -(-len(self.t) // self.batch_size)
