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
        if type(array) is not np.ndarray and type(array).__module__.startswith("cupy"):  # NumPy's: the hot path
            import cupy

            return cupy
    return np


DEVICES = ("cpu", "gpu")


def device_module(device):
    """The array module for ``device``: ``numpy`` for "cpu", ``cupy`` for "gpu".

    Raises
    ------
    ValueError
        For an unknown device name.
    RuntimeError
        For "gpu" when CuPy is not installed or sees no GPU.
    """
    if device == "cpu":
        return np
    if device != "gpu":
        raise ValueError(f"device must be 'cpu' or 'gpu', got {device!r}")
    try:
        import cupy
    except ImportError:
        raise RuntimeError("device='gpu' needs CuPy: pip install cupy-cuda12x (and an NVIDIA GPU)") from None
    try:
        cupy.cuda.runtime.getDeviceCount()
    except cupy.cuda.runtime.CUDARuntimeError as error:
        raise RuntimeError(f"device='gpu' but CuPy finds no usable GPU ({error})") from None
    return cupy


def scalar(value):
    """A 0-d array as a float64 scalar that stays where it was computed.

    On the CPU this is a Python ``float``. On a GPU it is a 0-d float64 device
    array: reading a device value on the host waits until the GPU has finished
    every kernel queued so far, so a training loop that read its loss every step
    would leave the GPU idle while Python launches the next step's kernels. The
    Trainer adds the device scalars up and reads them once per epoch. The same
    float64 arithmetic on both devices keeps their results identical.
    """
    if isinstance(value, np.generic) or get_array_module(value) is np:  # a NumPy scalar first: every step's loss
        return float(value)
    return value.astype(np.float64)


def to_device(array, device):
    """Return ``array`` on ``device`` ("cpu" or "gpu"), copying only when it is elsewhere."""
    if device == "cpu":
        return to_numpy(array)
    return device_module(device).asarray(array)


def to_numpy(array):
    """Return ``array`` as a NumPy array (copied from the GPU if it lives there)."""
    if get_array_module(array) is not np:
        return array.get()
    return np.asarray(array)
