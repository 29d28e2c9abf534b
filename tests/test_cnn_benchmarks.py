"""The CNN benchmarks compare like with like: the book's baseline and the PyTorch peers compute
what nnscratch computes (their numbers are claims only when run as benchmarks/README.md says)."""

import collections
import sys
from pathlib import Path

import numpy as np
import pytest

from nnscratch.layers import col2im, im2col

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))

import book_conv  # noqa: E402
import cnn_peers  # noqa: E402


@pytest.mark.parametrize(("shape", "size", "stride", "pad"), [((2, 3, 7, 9), 3, 1, 0), ((3, 2, 8, 6), 2, 2, 1)])
def test_the_books_im2col_and_col2im_are_nnscratchs(rng, shape, size, stride, pad):
    x = rng.standard_normal(shape)
    col = book_conv.book_im2col(x, size, size, stride, pad)
    np.testing.assert_array_equal(col, im2col(x, size, size, stride, pad))
    back = rng.standard_normal(col.shape)
    np.testing.assert_allclose(
        book_conv.book_col2im(back, shape, size, size, stride, pad), col2im(back, shape, size, size, stride, pad)
    )


@pytest.mark.parametrize("spec", [cnn_peers.SIMPLE, cnn_peers.THREE_LAYER], ids=["simple", "three-layer"])
def test_the_three_builds_of_a_spec_give_one_loss_and_gradient(rng, spec):
    torch = pytest.importorskip("torch")
    x = rng.random((4, 1, 28, 28), dtype=np.float32)
    t = rng.integers(0, 10, 4)
    weights = cnn_peers.he_weights(spec, (1, 28, 28), seed=1)
    loss, _, grads = cnn_peers.nnscratch_model(spec, weights).loss_and_grads(x, t)
    book = cnn_peers.book_model(spec, weights)
    book_grads = book.gradient(x.astype(np.float64), t)
    theirs = cnn_peers.torch_model(spec, weights)
    torch_loss = torch.nn.functional.cross_entropy(theirs(torch.from_numpy(x)), torch.from_numpy(t))
    torch_loss.backward()
    assert loss == pytest.approx(book.loss(x.astype(np.float64), t), rel=1e-5)
    assert loss == pytest.approx(torch_loss.item(), rel=1e-5)
    scale = np.abs(book_grads["W1"]).max()
    np.testing.assert_allclose(grads["layers.0.W"], book_grads["W1"], atol=1e-5 * scale)
    np.testing.assert_allclose(grads["layers.0.W"], theirs[0].weight.grad.numpy(), atol=1e-5 * scale)


def test_time_to_accuracy_counts_until_the_first_epoch_at_the_target():
    import time_to_accuracy

    marks = [(3.0, 0.85, 3.0), (6.5, 0.905, 3.5), (9.0, 0.89, 2.5), (12.0, 0.91, 3.0)]
    run = time_to_accuracy.record(marks, 0.90)
    assert run["seconds"] == 6.5 and run["epochs"] == 2 and run["median_epoch"] == 3.0
    assert time_to_accuracy.record(marks, 0.95)["seconds"] is None


def test_the_threads_benchmark_times_a_step_in_a_process_with_the_settings_it_names(monkeypatch):
    import threads

    seen = []

    def fake_measure(model, steps, env):
        seen.append((model, env.get("NNSCRATCH_NUM_THREADS"), env["OPENBLAS_THREAD_TIMEOUT"]))
        return 10.0 if env.get("NNSCRATCH_NUM_THREADS") == "1" else 8.0

    assert threads.step_ms("three", 1) > 0  # one real step in this process
    monkeypatch.setattr(threads, "measure", fake_measure)
    threads.main(["--model", "three", "--rounds", "2", "--steps", "1"])
    expected = [("three", "1", "28"), ("three", None, "28"), ("three", None, "20")] * 2
    assert collections.Counter(seen) == collections.Counter(expected)
