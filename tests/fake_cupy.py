"""A CPU stand-in for CuPy that is strict where CuPy is strict.

Without a GPU, the GPU path can still be checked for the mistakes that make it
fail on a real one:

- mixing host (NumPy) and device arrays in one operation (CuPy raises TypeError);
- turning a device array into a NumPy array implicitly (``np.asarray``), where
  CuPy insists on ``.get()``;
- passing NumPy-only keyword arguments to functions CuPy implements with a
  shorter signature (``take`` has no ``mode``).

It is stricter than CuPy in one way: a NumPy function applied to device arrays
(``np.concatenate``) fails here, where CuPy would dispatch it; nnscratch calls
``xp.concatenate`` instead. Arrays are wrapped in :class:`ndarray`, whose ``__module__`` starts with
"cupy", so ``nnscratch.backend`` treats them as CuPy arrays. The arithmetic
underneath is NumPy's, so results must equal the CPU path's exactly.
A test puts :data:`cupy` in ``sys.modules["cupy"]`` (monkeypatch.setitem).

Every read of a device value on the host (``get``, ``float``, ``int``, ``bool``,
``item``, ``tolist``) is counted in :data:`host_reads`: on a real GPU each one
waits for the device to finish all queued work, so a training step that reads
its loss on the host keeps the GPU idle while Python launches the next kernels.
"""

import collections
import types

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

# What the host read from the device, by the way it asked ("float", "get", ...).
host_reads = collections.Counter()

# CuPy's signatures where they are narrower than NumPy's (docs.cupy.dev), for the functions nnscratch calls.
NARROWER_SIGNATURES = {"take": {"a", "indices", "axis", "out"}}


def _unwrap(value):
    """Device arrays to their NumPy data; a host array (not 0-d) in a device operation is an error."""
    if isinstance(value, ndarray):
        return value._data
    if isinstance(value, np.ndarray) and value.ndim > 0:
        raise TypeError(f"Unsupported type {type(value)}: a NumPy array in an operation on device arrays")
    if isinstance(value, (list, tuple)):
        return type(value)(_unwrap(v) for v in value)
    if isinstance(value, slice):
        return slice(_unwrap(value.start), _unwrap(value.stop), _unwrap(value.step))
    return value


def _wrap(value):
    if isinstance(value, np.ndarray):
        return ndarray(value)
    if isinstance(value, np.generic):  # CuPy reductions return 0-d device arrays, not scalars
        return ndarray(np.asarray(value))
    if isinstance(value, tuple):
        return tuple(_wrap(v) for v in value)
    return value


class ndarray(NDArrayOperatorsMixin):  # noqa: N801 (CuPy's name)
    """A device array: NumPy data that refuses to meet NumPy arrays."""

    def __init__(self, data):
        self._data = data

    def __array__(self, dtype=None, copy=None):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. Please use `.get()`.")

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        if out is not None:
            kwargs["out"] = tuple(_unwrap(o) for o in out)
        result = getattr(ufunc, method)(*(_unwrap(i) for i in inputs), **kwargs)
        if out is not None:
            return out[0] if len(out) == 1 else out
        return _wrap(result)

    def get(self):
        """Copy to the host: a NumPy array."""
        host_reads["get"] += 1
        return self._data.copy()

    def __getattr__(self, name):
        if name.startswith("__"):  # no __array_interface__ or buffer: NumPy must not see the data
            raise AttributeError(name)
        value = getattr(self._data, name)
        if name in ("item", "tolist"):
            host_reads[name] += 1
            return value
        if not callable(value):
            return _wrap(value) if name not in ("shape", "dtype", "ndim", "size", "itemsize", "nbytes") else value
        return lambda *args, **kwargs: _wrap(value(*_unwrap(args), **{k: _unwrap(v) for k, v in kwargs.items()}))

    def __getitem__(self, key):
        return _wrap(self._data[_unwrap(key)])

    def __setitem__(self, key, value):
        self._data[_unwrap(key)] = _unwrap(value)

    def __len__(self):
        return len(self._data)

    def __iter__(self):
        return (_wrap(row) for row in self._data)

    def __float__(self):
        host_reads["float"] += 1
        return float(self._data)

    def __int__(self):
        host_reads["int"] += 1
        return int(self._data)

    def __bool__(self):
        host_reads["bool"] += 1
        return bool(self._data)

    def __repr__(self):
        return f"fake_cupy.ndarray({self._data!r})"


ndarray.__module__ = "cupy._core.core"


def asarray(a, dtype=None):
    """Host or device data to a device array (a copy from the host, as a transfer is)."""
    if isinstance(a, ndarray):
        return a if dtype is None or a.dtype == dtype else a.astype(dtype)
    return ndarray(np.array(a, dtype=dtype))


def _device_function(name):
    function = getattr(np, name)
    allowed = NARROWER_SIGNATURES.get(name)

    def call(*args, **kwargs):
        if allowed is not None and set(kwargs) - allowed:
            raise TypeError(f"{name}() got an unexpected keyword argument {sorted(set(kwargs) - allowed)[0]!r}")
        return _wrap(function(*_unwrap(args), **{k: _unwrap(v) for k, v in kwargs.items()}))

    return call


class _FakeCupyModule(types.ModuleType):
    ndarray = ndarray
    asarray = staticmethod(asarray)
    array = staticmethod(asarray)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _device_function(name)


class _Runtime:
    class CUDARuntimeError(RuntimeError):
        pass

    @staticmethod
    def getDeviceCount():  # noqa: N802 (CuPy's name)
        return 1

    @staticmethod
    def getDeviceProperties(device):  # noqa: N802 (CuPy's name)
        return {"name": b"CPU stand-in for CuPy"}

    @staticmethod
    def driverGetVersion():  # noqa: N802 (CuPy's name)
        return 0

    runtimeGetVersion = driverGetVersion  # noqa: N815 (CuPy's name)


cupy = _FakeCupyModule("cupy", __doc__)
cupy.cuda = types.SimpleNamespace(runtime=_Runtime)
cupy.__version__ = "stand-in"
cupy.host_reads = host_reads
