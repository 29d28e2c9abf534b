"""NumPy arrays whose data start on a 64-byte cache line.

NumPy takes its memory from ``malloc``, which promises 16-byte alignment and no more.
When a weight matrix starts 16 bytes past a 32-byte boundary, part of the vector loads of
``W -= dW`` and ``x @ W`` straddle two cache lines; which arrays land there is decided by
where the allocator happens to put them. On the development machine that alone moved a
training step at H = 50 by up to a tenth (``benchmarks/RESULTS.md``, sixth session).
PyTorch's CPU allocator aligns every tensor to 64 bytes for the same reason. nnscratch
does it for the arrays a step reads in full: the weights (:mod:`nnscratch.init`), the
batch buffers (:mod:`nnscratch.data.batching`) and the optimizers' scratch arrays.

CuPy arrays pass through unchanged: CuPy's allocator already aligns to 256 bytes.
"""

import math

import numpy as np

CACHE_LINE = 64  # bytes; a multiple of every NumPy itemsize that vector loops load


def empty_aligned(shape, dtype=np.float64):
    """An uninitialised C-contiguous NumPy array whose first byte starts a cache line.

    It is a view into a ``uint8`` buffer one cache line longer than the data, starting at
    the first boundary inside it (so ``array.base`` is that buffer).

    Parameters
    ----------
    shape : int or tuple of int
    dtype : data-type, default=float64

    Returns
    -------
    ndarray of ``shape`` and ``dtype``, writeable, ``array.ctypes.data % 64 == 0`` unless it
    is empty (it then has no data to align, and NumPy may point it anywhere).
    """
    dtype = np.dtype(dtype)
    shape = (shape,) if isinstance(shape, int | np.integer) else tuple(shape)
    nbytes = math.prod(shape) * dtype.itemsize
    raw = np.empty(nbytes + CACHE_LINE, dtype=np.uint8)
    start = -raw.ctypes.data % CACHE_LINE
    return raw[start : start + nbytes].view(dtype).reshape(shape)


def aligned(array):
    """``array`` itself if it is a C-contiguous NumPy array that starts a cache line, else such a copy.

    Anything that is not exactly a NumPy array (a CuPy array, a subclass) is returned as it is.
    """
    if type(array) is not np.ndarray or is_aligned(array):
        return array
    copy = empty_aligned(array.shape, array.dtype)
    copy[...] = array
    return copy


def is_aligned(array):
    """Whether the NumPy ``array`` is C-contiguous and its data start on a cache line."""
    return array.flags.c_contiguous and array.ctypes.data % CACHE_LINE == 0
