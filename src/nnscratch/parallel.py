"""Large element-wise work and copies split between the CPU's cores.

NumPy runs a ufunc or a copy on one thread; only the matrix products (BLAS) use every
core. A convnet step also moves hundreds of megabytes through im2col's copies, col2im's
additions, ReLU and max pooling, which on one thread of two take as long as the products.
NumPy releases the GIL while it loops over an array, so the same calls on parts of the
arrays run side by side in threads. Each part is computed exactly as the whole would be:
the results are the same bit for bit.

Small arrays (below :data:`MIN_SIZE` elements) and device arrays run in one call: handing
work to a thread costs tens of microseconds, and a GPU runs its kernels in parallel already.
The number of threads follows ``NNSCRATCH_NUM_THREADS``, then ``OMP_NUM_THREADS`` and
``OPENBLAS_NUM_THREADS`` (the sweep sets these to share the cores between its workers),
then the cores this process may use; :func:`set_num_threads` overrides them. The threads
need the cores free between matrix products: ``import nnscratch`` shortens how long
OpenBLAS's idle threads spin (``OPENBLAS_THREAD_TIMEOUT``, see ``nnscratch.openblas``),
which works only before NumPy loads OpenBLAS. A script that imported NumPy first, without
that variable, gets one thread here unless ``NNSCRATCH_NUM_THREADS`` asks for more.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from nnscratch import openblas
from nnscratch.backend import get_array_module

# About 1M elements (4 MB of float32). Handing a part to a thread costs tens of microseconds,
# and on two cores a convnet step ran no faster with arrays of 256K to 1M elements split.
MIN_SIZE = 1 << 20

_chosen = None  # set_num_threads's choice; None: from the environment
_from_env = None  # the environment's answer, read at the first use
_pool, _pool_key = None, None  # the executor, and the (process id, workers) it was made for
_inside = threading.local()  # set while a thread runs a part, so that a part never splits again


def num_threads():
    """int: how many threads :func:`split` uses (see the module's docstring)."""
    global _from_env
    if _chosen is not None:
        return _chosen
    if _from_env is None:  # read once: a training step asks several times
        _from_env = _threads_from_env()
    return _from_env


def _threads_from_env():
    if _env_count("NNSCRATCH_NUM_THREADS"):
        return _env_count("NNSCRATCH_NUM_THREADS")
    if openblas.SPINS_LONG:  # OpenBLAS's idle threads hold the other cores: splitting would cost
        return 1
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        if _env_count(name):
            return _env_count(name)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _env_count(name):
    """The environment variable ``name`` as a positive int, or None."""
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def worth_splitting(array):
    """bool: whether work on ``array`` would be split (a large NumPy array, more than one thread)."""
    return _large(array) and num_threads() > 1


def _large(array):
    return type(array) is np.ndarray and array.size >= MIN_SIZE


def set_num_threads(threads):
    """Use ``threads`` threads (a positive int), or None to follow the environment again."""
    global _chosen
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise ValueError(f"threads must be a positive int or None, got {threads!r}")
    _chosen = threads


def split(work, n, array):
    """Call ``work(part)`` for slices ``part`` that divide ``range(n)``, one per thread, side by side.

    ``work`` must write only where its part says (parts never overlap), so that the parts
    can run at the same time. ``array`` is the largest array the work touches: when it is
    small, or not a NumPy array, ``work(slice(0, n))`` runs alone in this thread.
    """
    threads = min(num_threads(), n)
    if threads < 2 or not _large(array) or getattr(_inside, "active", False):
        work(slice(0, n))
        return
    bounds = [n * k // threads for k in range(threads + 1)]
    parts = [slice(start, stop) for start, stop in zip(bounds, bounds[1:], strict=False)]
    futures = [_executor(threads - 1).submit(_run_part, work, part) for part in parts[1:]]
    try:
        _run_part(work, parts[0])  # this thread takes the first part itself
    finally:
        for future in futures:  # every part has finished before the arrays are used or an error is raised
            future.exception()
    for future in futures:
        future.result()


def split_elementwise(function, *arrays):
    """``function(*arrays)`` on matching parts of same-shaped arrays, split along one axis.

    The axis is the one that is outermost in memory for ``arrays[0]`` (the batch axis of a
    C-ordered array, the channel axis of a batch-last image), so each part is one block of
    memory. Outputs are among ``arrays``, e.g. ``split_elementwise(np.multiply, a, b, out)``.
    """
    first = arrays[0]
    if first.ndim == 0:
        function(*arrays)
        return
    axis = max(range(first.ndim), key=lambda k: abs(first.strides[k]))

    def work(part):
        index = (slice(None),) * axis + (part,)
        function(*(a[index] for a in arrays))

    split(work, first.shape[axis], first)


def multiply(a, b, out=None):
    """``a * b``, into ``out`` if given (it may be ``a``); for two large NumPy arrays of one shape,
    computed a part per core."""
    if not (worth_splitting(a) and type(b) is np.ndarray and a.shape == b.shape):
        return a * b if out is None else get_array_module(a).multiply(a, b, out=out)
    if out is None:
        out = np.empty_like(a, dtype=np.result_type(a, b))
    split_elementwise(np.multiply, a, b, out)
    return out


def _run_part(work, part):
    _inside.active = True
    try:
        work(part)
    finally:
        _inside.active = False


def _executor(workers):
    """The process's thread pool with ``workers`` threads; a new one after a fork or a new count."""
    global _pool, _pool_key
    key = (os.getpid(), workers)
    if _pool_key != key:  # a forked child inherits the pool object but none of its threads
        if _pool is not None and _pool_key[0] == key[0]:
            _pool.shutdown(wait=False)
        _pool, _pool_key = ThreadPoolExecutor(workers, thread_name_prefix="nnscratch"), key
    return _pool
