"""nnscratch.parallel: large element-wise work split between threads, with the same numbers."""

import multiprocessing
import threading

import numpy as np
import pytest

from nnscratch import SGD, Pooling, Relu, convnet, openblas, parallel
from nnscratch.layers.im2col import col2im_t, im2col_t
from nnscratch.train import Trainer
from test_conv_models import images


@pytest.fixture
def split_everything(monkeypatch):
    """Every array counts as large, and three threads share the work (an odd count, to test uneven parts)."""
    monkeypatch.setattr(parallel, "MIN_SIZE", 0)
    parallel.set_num_threads(3)
    yield
    parallel.set_num_threads(None)


def parts_of(n, array, record=None):
    record = [] if record is None else record
    lock = threading.Lock()

    def work(part):
        with lock:
            record.append((part.start, part.stop, threading.get_ident()))

    parallel.split(work, n, array)
    return record


@pytest.mark.parametrize("threads", [1, 2, 3, 5])
@pytest.mark.parametrize("n", [0, 1, 2, 7, 64])
def test_the_parts_cover_the_range_once(monkeypatch, threads, n):
    monkeypatch.setattr(parallel, "MIN_SIZE", 0)
    parallel.set_num_threads(threads)
    try:
        record = parts_of(n, np.zeros(10))
    finally:
        parallel.set_num_threads(None)
    covered = sorted(i for start, stop, _ in record for i in range(start, stop))
    assert covered == list(range(n))
    assert len(record) == max(1, min(threads, n))


def test_the_parts_run_at_the_same_time(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_SIZE", 0)
    parallel.set_num_threads(3)
    barrier = threading.Barrier(3, timeout=10)  # passes only when all three parts wait on it at once
    try:
        parallel.split(lambda part: barrier.wait(), 3, np.zeros(3))
    finally:
        parallel.set_num_threads(None)


def test_small_arrays_and_device_arrays_run_in_one_call_on_this_thread(fake_gpu):
    parallel.set_num_threads(2)
    try:
        small = parts_of(8, np.zeros(parallel.MIN_SIZE - 1))
        on_device = parts_of(8, fake_gpu.zeros(parallel.MIN_SIZE))
        large = parts_of(8, np.zeros(parallel.MIN_SIZE))
    finally:
        parallel.set_num_threads(None)
    me = threading.get_ident()
    assert small == on_device == [(0, 8, me)]
    assert len(large) == 2


def test_a_part_that_splits_again_runs_its_work_in_one_call(split_everything):
    inner = []
    parallel.split(lambda part: inner.append(parts_of(6, np.zeros(4))), 2, np.zeros(4))
    assert len(inner) == 2  # the outer work in two parts (n = 2)
    assert all(len(record) == 1 for record in inner)  # each part's own split ran in one call


def test_an_error_in_a_part_is_raised_after_every_part_has_finished(split_everything):
    finished = []

    def work(part):
        if part.start == 0:
            raise ValueError("the first part failed")
        threading.Event().wait(0.05)
        finished.append(part.start)

    with pytest.raises(ValueError, match="the first part failed"):
        parallel.split(work, 3, np.zeros(3))
    assert sorted(finished) == [1, 2]


def _split_in_child(queue):
    queue.put(len(parts_of(4, np.zeros(4))))


def test_a_forked_child_splits_work_with_threads_of_its_own(split_everything):
    assert len(parts_of(4, np.zeros(4))) == 3  # the parent's pool now has threads
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_split_in_child, args=(queue,))
    child.start()
    child.join(20)
    assert child.exitcode == 0, "the child hung or failed: it waited on the parent's threads"
    assert queue.get(timeout=5) == 3


def test_the_thread_count_follows_the_environment_then_set_num_threads(monkeypatch):
    monkeypatch.setattr(openblas, "SPINS_LONG", False)
    monkeypatch.setenv("NNSCRATCH_NUM_THREADS", "3")
    monkeypatch.setattr(parallel, "_from_env", None)
    assert parallel.num_threads() == 3
    parallel.set_num_threads(1)
    assert parallel.num_threads() == 1
    parallel.set_num_threads(None)
    assert parallel.num_threads() == 3
    monkeypatch.setattr(parallel, "_from_env", None)
    monkeypatch.delenv("NNSCRATCH_NUM_THREADS")
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    assert parallel.num_threads() == 2
    monkeypatch.setattr(parallel, "_from_env", None)  # the next test reads the real environment again
    monkeypatch.setattr(openblas, "SPINS_LONG", True)  # NumPy came first: OpenBLAS spins 0.1 s
    assert parallel.num_threads() == 1
    monkeypatch.setattr(parallel, "_from_env", None)
    monkeypatch.setenv("NNSCRATCH_NUM_THREADS", "2")  # the user's explicit choice still counts
    assert parallel.num_threads() == 2
    monkeypatch.setattr(parallel, "_from_env", None)
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match=r"threads must be a positive int or None, got"):
            parallel.set_num_threads(bad)


def one_thread_then_three(compute):
    """``compute()`` with one thread, then split three ways: both results."""
    parallel.set_num_threads(1)
    try:
        alone = compute()
    finally:
        parallel.set_num_threads(3)
    return alone, compute()


def assert_same(a, b):
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
        assert x.dtype == y.dtype


@pytest.mark.parametrize(("stride", "pad"), [(1, 1), (2, 0), (2, 1)])
def test_im2col_and_col2im_split_give_the_same_numbers(split_everything, stride, pad):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 5, 9, 7))
    cols = im2col_t(x, 3, 2, stride, pad)
    dcols = rng.standard_normal(cols.shape)

    def compute():
        return im2col_t(x, 3, 2, stride, pad), col2im_t(dcols, x.shape, 3, 2, stride, pad)

    assert_same(*one_thread_then_three(compute))


@pytest.mark.parametrize(
    "layout",
    ["C order", "batch-last view", "reversed strides"],
)
def test_relu_split_gives_the_same_numbers_and_layout(split_everything, layout):
    rng = np.random.default_rng(1)
    x = {
        "C order": rng.standard_normal((6, 5, 4, 3)).astype(np.float32),
        "batch-last view": rng.standard_normal((5, 4, 3, 6)).astype(np.float32).transpose(3, 0, 1, 2),
        "reversed strides": rng.standard_normal((6, 5, 4, 3))[::-1, :, ::-1],
    }[layout]
    dout = rng.standard_normal(x.shape).astype(x.dtype)
    relu = Relu()

    def compute():
        out = relu.forward(x)
        return out, relu.mask, relu.backward(dout)

    alone, split = one_thread_then_three(compute)
    assert_same(alone, split)
    assert split[0].strides == alone[0].strides


def test_an_inplace_relu_split_gives_the_same_numbers_in_its_callers_arrays(split_everything):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 5, 4, 3)).astype(np.float32)
    dout = rng.standard_normal(x.shape).astype(x.dtype)
    plain = Relu()
    expected = plain.forward(x), plain.backward(dout)
    relu = Relu(inplace=True)

    def compute():
        x_in, dout_in = x.copy(), dout.copy()
        out, dx = relu.forward(x_in), relu.backward(dout_in)
        assert out is x_in and dx is dout_in
        return out, dx

    alone, split = one_thread_then_three(compute)
    assert_same(alone, expected)
    assert_same(split, expected)


@pytest.mark.parametrize("shape", [(3, 5, 8, 6), (2, 4, 9, 7)], ids=["even", "odd (a row and a column no window sees)"])
def test_side_by_side_max_pooling_split_gives_the_same_numbers(split_everything, shape):
    rng = np.random.default_rng(2)
    x = rng.integers(0, 3, shape).astype(np.float64)  # small integers: many ties, the first maximum wins
    pool = Pooling(2, 2, stride=2)
    dout = rng.standard_normal(pool.forward(x).shape)

    def compute():
        out = pool.forward(x)
        return out, pool.mask, pool.backward(dout)

    assert_same(*one_thread_then_three(compute))


def test_a_convnet_trains_to_the_same_weights_with_threads(split_everything):
    x, t = images(n=60)

    def compute():
        model = convnet((1, 10, 9), conv=[(4, 3), (6, 3)], hidden_sizes=[12], output_size=3, seed=0)
        Trainer(model, SGD(lr=0.05), batch_size=20, seed=0, progress="none").fit(x, t, 2)
        return list(model.state_arrays().values())

    assert_same(*one_thread_then_three(compute))
