"""The one place that knows whether arrays live in NumPy or CuPy.

Layers never import ``cupy``; they ask :func:`get_array_module` for the module
that owns their input and write their formulas against it (``xp.exp``,
``xp.where``), so the same line runs on the CPU and on a GPU.
"""

import numpy as np


def get_array_module(*arrays):
    """Return the array module (``numpy`` or ``cupy``) that owns ``arrays``.

    Parameters
    ----------
    *arrays : array_like
        Arrays of one backend; plain Python numbers count as NumPy.

    Returns
    -------
    module
        ``cupy`` when any argument is a CuPy array, otherwise ``numpy``.
    """
    for array in arrays:
        if type(array).__module__.startswith("cupy"):
            import cupy

            return cupy
    return np
