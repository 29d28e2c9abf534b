"""NumPy arrays whose data start on a 64-byte cache line.

NumPy takes its memory from ``malloc``, which promises 16-byte alignment and no more.
When a weight matrix starts 16 bytes past a 32-byte boundary, part of the vector loads of
the update ``W -= dW`` straddle two cache lines; which arrays land there is decided by
where the allocator happens to put them. On the development machine that alone moved a
training step at H = 50 by up to a tenth (``benchmarks/RESULTS.md``, sixth session).
PyTorch's CPU allocator aligns every tensor to 64 bytes for the same reason. nnscratch
does it for the arrays a step reads in full: the weights (:mod:`nnscratch.init`), the
batch buffers (:mod:`nnscratch.data.batching`), the optimizers' scratch arrays and, through
:func:`reusable`, each step's ``dW`` (:class:`nnscratch.layers.Affine`).

CuPy arrays pass through unchanged: CuPy's allocator already aligns to at least 256 bytes.
"""

import math
import operator
import sys

import numpy as np

CACHE_LINE = 64  # bytes; a multiple of every NumPy itemsize that vector loops load


def empty_aligned(shape, dtype=np.float64, xp=np):
    """An uninitialised C-contiguous NumPy array whose first byte starts a cache line.

    It is a view into a ``uint8`` buffer one cache line longer than the data, starting at
    the first boundary inside it (so ``array.base`` is that buffer).

    Parameters
    ----------
    shape : int or tuple of int
        Sizes >= 0.
    dtype : data-type, default=float64
    xp : module, default=numpy
        The array module; for any but NumPy this is ``xp.empty(shape, dtype)``.

    Returns
    -------
    ndarray of ``shape`` and ``dtype``, writeable, ``array.ctypes.data % 64 == 0`` unless it
    is empty (it then has no data to align, and NumPy may point it anywhere).

    Raises
    ------
    ValueError
        If a size in ``shape`` is negative (``TypeError`` if one is not an integer).
    """
    if xp is not np:
        return xp.empty(shape, dtype=dtype)
    dtype = np.dtype(dtype)
    shape = tuple(operator.index(size) for size in ((shape,) if isinstance(shape, int | np.integer) else shape))
    if min(shape, default=0) < 0:
        raise ValueError(f"shape must hold sizes >= 0, got {shape}")
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


def reusable(array, shape, dtype):
    """``array`` again if nothing but its caller holds it and it fits, else a new :func:`empty_aligned` array.

    For a layer that writes each step's result over the last step's: the caller drops its
    own reference (an attribute), keeps the array in one local variable and passes it here.
    If anything else still holds the array, or a view of it (a learner's loop that keeps
    last step's gradients, say), it is left alone and a new array comes back: nobody's
    values change under them. Reused, the array stays on its cache line and in the cache,
    and the allocator is not asked for a weight-sized block every step (it may hand the last
    one back to the system in between, to be faulted in again page by page).

    Parameters
    ----------
    array : ndarray or None
        Last step's array (None on the first step).
    shape : tuple of int
    dtype : numpy dtype

    Returns
    -------
    ndarray of ``shape`` and ``dtype``, its data on a cache line; its values are the old ones or garbage.
    """
    # The buffer's references count too: NumPy points every view of the array at the buffer.
    if (
        type(array) is np.ndarray
        and sys.getrefcount(array) == _ALONE
        and sys.getrefcount(array.base) == _BUFFER_ALONE
        and array.shape == shape
        and array.dtype == dtype
    ):
        return array
    return empty_aligned(shape, dtype)


def _references_seen_by_a_function_like_reusable(array):
    """``sys.getrefcount`` of ``array`` and of its buffer, counted at the depth :func:`reusable` counts them."""
    return sys.getrefcount(array), sys.getrefcount(array.base)


def _references_when_alone():
    probe = empty_aligned(1, np.uint8)  # held by this one variable, as a layer holds last step's array
    return _references_seen_by_a_function_like_reusable(probe)


# Measured, not assumed: what the interpreter counts depends on its version.
_ALONE, _BUFFER_ALONE = _references_when_alone()
