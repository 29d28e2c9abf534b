"""Property-based tests: hostile input gets a clear error of the package's own or a correct result.

"Clear" means a ``TypeError`` or ``ValueError`` whose message names the
argument ("x must ...", "t has ...", "<file> is truncated ..."); "correct"
means the formula's value, recomputed here in float64, with no NaN where the
input was finite. Every example also runs under Hypothesis's deadline, so a
hang fails the test. ``hostile.OUTCOMES`` counts errors and results per test;
the run's summary prints them (see ``hostile.py``).
"""

import gzip
import struct
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from hostile import SETTINGS, finite_float64, hostile, labels_for, mostly, outcome, tolerance
from nnscratch import (
    cross_entropy_error,
    elu,
    leaky_relu,
    relu,
    sigmoid,
    softmax,
    step_function,
    sum_squared_error,
    tanh,
)
from nnscratch.data import cifar10
from nnscratch.data.idx import TYPE_CODES, read_idx, read_idx_bytes


def elementwise_reference(function, x64, alpha):
    with np.errstate(all="ignore"):
        return {
            step_function: lambda: (x64 > 0).astype(np.float64),
            sigmoid: lambda: 1 / (1 + np.exp(-x64)),
            tanh: lambda: np.tanh(x64),
            relu: lambda: np.maximum(x64, 0),
            leaky_relu: lambda: np.where(x64 > 0, x64, alpha * x64),
            elu: lambda: np.where(x64 > 0, x64, alpha * np.expm1(np.minimum(x64, 0))),
        }[function]()


alphas = st.one_of(st.floats(-3, 3), st.floats(), st.integers(-5, 5), st.booleans(), st.text(max_size=2), st.none())


@settings(max_examples=300, **SETTINGS)
@given(function=st.sampled_from([step_function, sigmoid, tanh, relu, leaky_relu, elu]), x=hostile, alpha=alphas)
def test_elementwise_activations(function, x, alpha):
    with_alpha = function in (leaky_relu, elu)
    call = (lambda: function(x, alpha=alpha)) if with_alpha else (lambda: function(x))
    with np.errstate(all="ignore"):  # overflow to +-inf is a correct result; NaN is checked below
        ok, out = outcome("activations", call, ["x", "alpha"])
    x64 = finite_float64(x)
    if not ok or x64 is None:
        return
    assert out.shape == np.shape(x) and not np.isnan(out).any(), f"NaN from finite input {x!r}"
    expected = elementwise_reference(function, x64, float(alpha) if with_alpha else None)
    np.testing.assert_allclose(out.astype(np.float64), expected, rtol=tolerance(out.dtype), atol=tolerance(out.dtype))


@settings(max_examples=200, **SETTINGS)
@given(x=hostile)
def test_softmax(x):
    with np.errstate(all="ignore"):
        ok, out = outcome("softmax", lambda: softmax(x), ["x"])
    x64 = finite_float64(x)
    if not ok or x64 is None:
        return
    assert out.shape == x.shape and not np.isnan(out).any(), f"NaN from finite input {x!r}"
    shifted = np.exp(x64 - x64.max(axis=-1, keepdims=True))
    expected = shifted / shifted.sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(out.astype(np.float64), expected, atol=tolerance(out.dtype) * 4)


@settings(max_examples=150, **SETTINGS)
@given(y=hostile, t=hostile)
def test_sum_squared_error(y, t):
    ok, out = outcome("sum_squared_error", lambda: sum_squared_error(y, t), ["y", "t"])
    y64, t64 = finite_float64(y), finite_float64(t)
    if not ok or y64 is None or t64 is None:
        return
    with np.errstate(over="ignore"):
        expected = 0.5 * float(((y64 - t64) ** 2).sum())
    assert not np.isnan(out) and out == pytest.approx(expected, rel=1e-12)


probabilities = hnp.arrays(
    st.sampled_from([np.float64, np.float32]),
    hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=4),
    elements=st.floats(0, 1, width=32),
)


@settings(max_examples=250, **SETTINGS)
@given(data=st.data(), y=mostly(probabilities, hostile))
def test_cross_entropy_error(data, y):
    t = data.draw(labels_for(y)) if isinstance(y, np.ndarray) and y.ndim in (1, 2) else data.draw(hostile)
    ok, out = outcome("cross_entropy_error", lambda: cross_entropy_error(y, t), ["y", "t"])
    if not ok:
        return
    y2 = np.atleast_2d(np.asarray(y, dtype=np.float64))
    t_arr = np.asarray(t)
    one_hot = t_arr.reshape(y2.shape) if t_arr.ndim == 2 or (y.ndim == 1 and t_arr.ndim == 1) else None
    if one_hot is None:
        one_hot = np.eye(y2.shape[1])[t_arr.reshape(-1).astype(np.int64)]
    expected = -(one_hot * np.log(y2 + 1e-7)).sum() / y2.shape[0]
    assert np.isfinite(out) and out == pytest.approx(expected, rel=1e-9, abs=1e-12)


@st.composite
def idx_files(draw):
    """IDX bytes near the format: right or wrong magic, huge or small sizes, bodies too short or long."""
    type_code = draw(st.one_of(st.sampled_from(sorted(TYPE_CODES)), st.integers(0, 255)))
    ndim = draw(st.integers(0, 4))
    dims = draw(st.lists(st.one_of(st.integers(0, 4), st.integers(0, 2**32 - 1)), min_size=ndim, max_size=ndim))
    header = struct.pack(f">HBB{ndim}I", draw(st.sampled_from([0, 0, 0, 1])), type_code, ndim, *dims)
    itemsize = TYPE_CODES[type_code].itemsize if type_code in TYPE_CODES else 1
    promised = int(np.prod(dims, dtype=object)) * itemsize if dims else itemsize
    length = draw(st.one_of(st.just(min(promised, 4096)), st.integers(0, 64)))
    body = draw(st.binary(min_size=min(length, 4096), max_size=min(length, 4096)))
    cut = draw(st.integers(0, len(header) + len(body)))
    return draw(st.sampled_from([header + body, (header + body)[:cut], header + body + b"\x00", b""]))


@settings(max_examples=250, **SETTINGS)
@given(data=st.one_of(idx_files(), st.binary(max_size=64)))
@example(data=bytes([0, 0, 0x08, 4]) + (65536).to_bytes(4, "big") * 4)  # 2**64 values: an int64 product wraps to 0
def test_idx_parser(data):
    ok, array = outcome("read_idx_bytes", lambda: read_idx_bytes(data, source="the-idx-case"), ["the-idx-case"])
    if ok:
        ndim = data[3]
        assert array.shape == struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
        assert array.dtype == TYPE_CODES[data[2]].newbyteorder("=")


@settings(max_examples=80, **SETTINGS)
@given(data=idx_files(), compress=st.booleans(), max_bytes=st.one_of(st.none(), st.integers(0, 5000)))
def test_idx_files_raw_and_gzip(data, compress, max_bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("case.gz" if compress else "case")
        path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
        ok, array = outcome("read_idx", lambda: read_idx(path, max_bytes=max_bytes), [str(path)])
    if ok:
        np.testing.assert_array_equal(array, read_idx_bytes(data))
        assert max_bytes is None or len(data) <= max_bytes


@settings(max_examples=120, **SETTINGS)
@given(
    records=st.integers(0, 3),
    extra=st.sampled_from([0, 0, 0, 1, -1, 5]),
    labels=st.lists(st.one_of(st.integers(0, 9), st.integers(10, 255)), min_size=3, max_size=3),
    expected=st.one_of(st.none(), st.integers(0, 3)),
)
@example(records=1, extra=0, labels=[3, 0, 0], expected=3)  # one record where three were expected
def test_cifar_batches(records, extra, labels, expected):
    data = bytearray(max(records * cifar10.RECORD_BYTES + extra, 0))
    for i in range(records):
        data[i * cifar10.RECORD_BYTES] = labels[i]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "batch.bin"
        path.write_bytes(bytes(data))
        ok, result = outcome("read_batch", lambda: cifar10.read_batch(path, n_records=expected), [str(path)])
    if ok:
        images, read_labels = result
        assert images.shape == (records, 3, 32, 32) and read_labels.tolist() == labels[:records]
        assert max(labels[:records]) <= 9 and expected in (None, records) and extra == 0
