"""Arrays on a 64-byte cache line: the helpers, the arrays a training step reads in full, and reuse."""

import numpy as np
import pytest

from nnscratch import SGD, SoftmaxClassifier, TwoLayerNet, convnet, mlp
from nnscratch.alignment import CACHE_LINE, aligned, empty_aligned, is_aligned, reusable
from nnscratch.data.batching import BatchGatherer


def starts_a_cache_line(array):
    return array.ctypes.data % CACHE_LINE == 0


def off_line(values, offset=16):
    """A C-contiguous copy of ``values`` whose data start ``offset`` bytes past a cache line."""
    raw = np.empty(values.nbytes + 2 * CACHE_LINE, np.uint8)
    start = -raw.ctypes.data % CACHE_LINE + offset
    array = raw[start : start + values.nbytes].view(values.dtype).reshape(values.shape)
    array[...] = values
    assert array.ctypes.data % CACHE_LINE == offset
    return array


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int64, np.bool_, np.complex128])
@pytest.mark.parametrize("shape", [7, (3, 5), (2, 3, 4, 5), (0, 784), ()], ids=str)
def test_empty_aligned_has_the_shape_and_dtype_and_starts_a_cache_line(shape, dtype):
    array = empty_aligned(shape, dtype)
    assert array.shape == ((shape,) if isinstance(shape, int) else shape)
    assert array.dtype == dtype
    assert array.flags.c_contiguous and array.flags.writeable
    assert starts_a_cache_line(array) or array.size == 0  # an empty array has no data to align


def test_empty_aligned_arrays_do_not_share_memory():
    first, second = empty_aligned((100, 50), np.float32), empty_aligned((100, 50), np.float32)
    first.fill(1)
    second.fill(2)
    assert not np.shares_memory(first, second)
    assert (first == 1).all()


@pytest.mark.parametrize("offset", [8, 16, 32, 48])
def test_aligned_copies_an_array_off_a_cache_line_keeping_its_values(rng, offset):
    values = rng.standard_normal((13, 7)).astype(np.float32)
    array = off_line(values, offset)
    assert not is_aligned(array)
    copy = aligned(array)
    assert copy is not array and is_aligned(copy)
    np.testing.assert_array_equal(copy, values)
    assert copy.dtype == values.dtype and copy.shape == values.shape


def test_aligned_keeps_an_aligned_array_and_makes_a_strided_view_contiguous(rng):
    array = aligned(rng.standard_normal((6, 4)))
    assert aligned(array) is array
    view = array.T  # starts a cache line, but is not C-contiguous
    copy = aligned(view)
    assert copy is not view and is_aligned(copy)
    np.testing.assert_array_equal(copy, view)


def test_aligned_passes_anything_but_a_plain_ndarray_through():
    class Tagged(np.ndarray):
        pass

    tagged = np.zeros(5).view(Tagged)
    assert aligned(tagged) is tagged
    values = [1.0, 2.0]
    assert aligned(values) is values


@pytest.mark.parametrize(
    "build",
    [
        lambda: mlp(784, [50, 20], 10, seed=0),
        lambda: mlp(30, [9], 4, weight_init="xavier", batchnorm=True, dropout=0.5, seed=1),
        lambda: TwoLayerNet(784, 50, 10, seed=0),
        lambda: SoftmaxClassifier(784, 10, seed=0),
        lambda: convnet((1, 12, 12), conv=((4, 3), (6, 3)), hidden_sizes=(20,), output_size=10, seed=0),
    ],
    ids=["mlp", "mlp with batchnorm and dropout", "TwoLayerNet", "SoftmaxClassifier", "convnet"],
)
def test_every_weight_a_model_draws_starts_a_cache_line(build):
    model = build()
    weights = [W for name, W in model.params.items() if W.ndim >= 2]
    assert weights and all(starts_a_cache_line(W) for W in weights)
    assert all(starts_a_cache_line(W) for W in model.astype(np.float32).params.values() if W.ndim >= 2)


def test_the_batch_buffers_and_the_optimizer_scratch_start_a_cache_line(rng):
    x = off_line(rng.standard_normal((250, 17)).astype(np.float32))
    gatherer = BatchGatherer(x, rng.integers(0, 3, 250), 32)
    assert starts_a_cache_line(gatherer.x_buffer) and starts_a_cache_line(gatherer.t_buffer)
    param = off_line(rng.standard_normal((40, 30)))
    assert starts_a_cache_line(SGD(0.1).scratch(param))


def test_reusable_gives_back_an_array_only_its_caller_holds():
    last = empty_aligned((30, 20), np.float32)
    assert reusable(last, (30, 20), np.dtype(np.float32)) is last


@pytest.mark.parametrize(
    "hold",
    [
        lambda array: [array],  # in a list, as a kept grads dict holds it
        lambda array: array[3],  # a view of it
        lambda array: array.T,
        lambda array: memoryview(array),  # its buffer, exported
    ],
    ids=["the array", "a row view", "a transposed view", "a memoryview"],
)
def test_reusable_leaves_an_array_that_someone_else_holds_alone(hold):
    last = empty_aligned((30, 20), np.float32)
    kept = hold(last)  # noqa: F841 - held on purpose while reusable looks
    fresh = reusable(last, (30, 20), np.dtype(np.float32))
    assert fresh is not last and starts_a_cache_line(fresh) and not np.shares_memory(fresh, last)


@pytest.mark.parametrize(
    ("last", "shape", "dtype"),
    [
        (None, (4, 5), np.float32),
        (np.zeros((4, 5), np.float32), (4, 5), np.float32),  # not a view of an aligned buffer
        ("empty_aligned", (5, 4), np.float32),
        ("empty_aligned", (4, 5), np.float64),
    ],
    ids=["none yet", "a plain array", "another shape", "another dtype"],
)
def test_reusable_makes_a_new_aligned_array_for_anything_that_does_not_fit(last, shape, dtype):
    if isinstance(last, str):
        last = empty_aligned((4, 5), np.float32)
    fresh = reusable(last, shape, np.dtype(dtype))
    assert fresh is not last and fresh.shape == shape and fresh.dtype == dtype and starts_a_cache_line(fresh)


def test_a_dense_layer_writes_each_steps_dW_over_the_last_unless_someone_kept_it(rng):
    model = mlp(12, [9], 3, seed=0)
    x, t = rng.standard_normal((8, 12)).astype(np.float32), rng.integers(0, 3, 8)
    other_x, other_t = x[::-1].copy(), t[::-1].copy()
    first = model.layers[0]
    model.loss_and_grads(x, t)  # its grads are dropped at once, as the Trainer drops them
    address = first.dW.ctypes.data
    model.loss_and_grads(other_x, other_t)
    assert first.dW.ctypes.data == address and starts_a_cache_line(first.dW)

    _, _, kept = model.loss_and_grads(x, t)
    values = kept["layers.0.W"].copy()
    model.loss_and_grads(other_x, other_t)
    np.testing.assert_array_equal(kept["layers.0.W"], values)  # a kept gradient keeps its values
    assert first.dW is not kept["layers.0.W"]

    row = model.loss_and_grads(x, t)[2]["layers.0.W"][0]  # only a view of it kept
    row_values = row.copy()
    model.loss_and_grads(other_x, other_t)
    np.testing.assert_array_equal(row, row_values)


@pytest.mark.parametrize(
    ("shape", "error", "message"),
    [
        ((3, -2), ValueError, r"shape must hold sizes >= 0, got \(3, -2\)"),
        (-1, ValueError, r"shape must hold sizes >= 0, got \(-1,\)"),
        ((2.5, 3), TypeError, "integer"),
    ],
    ids=["a negative size", "a negative int", "a float size"],
)
def test_empty_aligned_refuses_a_shape_numpy_would_refuse(shape, error, message):
    with pytest.raises(error, match=message):
        empty_aligned(shape, np.float32)


def test_empty_aligned_leaves_device_arrays_to_their_module():
    import fake_cupy

    array = empty_aligned((4, 3), np.float32, fake_cupy.cupy)
    assert type(array).__module__.startswith("cupy") and array.shape == (4, 3)
