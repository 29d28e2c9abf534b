"""The Trainer's step path computes the lectures' formulas exactly, and no more than it needs.

The speed work on ``Trainer.fit`` (fewer checks and temporaries per step, no input gradient for
the first layer, the learning rate folded into backprop for plain SGD) must not change a single
bit of what training computes beyond what it says: these tests pin one epoch's weights, loss
and accuracy to a plain loop of the book's formulas, written out here in the same order of
operations, and check that the first layer is asked for no ``dx`` while a direct call to its
``backward`` still returns one.
"""

import re
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from nnscratch import SGD, Affine, Momentum, Relu, Sequential, mlp
from nnscratch.layers import Layer
from nnscratch.train import Trainer

NAMES = ("layers.0.W", "layers.0.b", "layers.2.W", "layers.2.b")


def book_epoch(params, x, t, batch_size, lr, seed, fold_lr=False):
    """One SGD epoch of Affine -> ReLU -> Affine -> softmax loss, formula by formula.

    ``fold_lr=True`` multiplies the scores' gradient by ``lr`` (with the 1 / N) and subtracts
    the gradients as they are; otherwise each parameter gets ``param -= grad * lr``.
    Returns (mean loss, training accuracy); ``params`` (W1, b1, W2, b2) are updated in place.
    """
    W1, b1, W2, b2 = params
    order = np.random.default_rng(seed).permutation(len(x))
    loss_sum, correct = 0.0, 0
    for start in range(0, len(x), batch_size):
        index = order[start : start + batch_size]
        xb, tb, n = x[index], t[index], len(index)
        a = xb @ W1
        a += b1
        h = np.maximum(a, 0)
        scores = h @ W2
        scores += b2
        shifted = scores - scores.max(axis=1, keepdims=True)
        y = np.exp(shifted)
        sum_exp = y.sum(axis=1, keepdims=True)
        y /= sum_exp
        loss = float((np.log(sum_exp)[:, 0] - shifted[np.arange(n), tb]).sum() / n)
        dscores = y.copy()
        dscores[np.arange(n), tb] -= 1
        dscores *= (lr if fold_lr else 1.0) / n
        dW2, db2 = h.T @ dscores, dscores.sum(axis=0)
        dh = (dscores @ W2.T) * (a > 0)
        dW1, db1 = xb.T @ dh, dh.sum(axis=0)
        for param, grad in zip(params, (dW1, db1, dW2, db2), strict=True):
            if fold_lr:
                param -= grad
            else:
                param -= grad * lr
        loss_sum += loss * n
        correct += int((scores.argmax(axis=1) == tb).sum())
    return loss_sum / len(x), correct / len(x)


def contract_epoch(model, x, t, batch_size, lr, seed):
    """The same epoch as a learner's own loop: ``loss_and_grads``, then ``SGD(lr).update``."""
    optimizer, order = SGD(lr), np.random.default_rng(seed).permutation(len(x))
    loss_sum, correct = 0.0, 0
    for start in range(0, len(x), batch_size):
        index = order[start : start + batch_size]
        loss, scores, grads = model.loss_and_grads(x[index], t[index])
        optimizer.update(model.params, grads)
        loss_sum += loss * len(index)
        correct += int((scores.argmax(axis=1) == t[index]).sum())
    return [{"loss": loss_sum / len(x), "train_accuracy": correct / len(x)}]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("path", ["Trainer.fit", "loss_and_grads + update"])
def test_an_epoch_is_bit_identical_to_the_book_formulas(rng, dtype, path):
    # Trainer.fit with plain SGD folds lr into backprop, as the NumPy floor does; a learner's
    # loop of loss_and_grads and update subtracts lr * grad. Each is exact to its own formulas.
    # 610 samples in batches of 50: the last batch (10 rows) is a short one.
    x = rng.standard_normal((610, 20)).astype(dtype)
    t = rng.integers(0, 6, 610)
    model = mlp(20, [16], 6, dtype=dtype, seed=0)
    params = [np.array(model.params[name]) for name in NAMES]
    if path == "Trainer.fit":
        history = Trainer(model, SGD(0.1), batch_size=50, seed=3, progress="none").fit(x, t, epochs=1)
    else:
        history = contract_epoch(model, x, t, batch_size=50, lr=0.1, seed=3)
    loss, accuracy = book_epoch(params, x, t, batch_size=50, lr=0.1, seed=3, fold_lr=path == "Trainer.fit")
    for name, expected in zip(NAMES, params, strict=True):
        assert model.params[name].dtype == expected.dtype
        np.testing.assert_array_equal(model.params[name], expected, err_msg=name)
    assert history[0]["loss"] == loss
    assert history[0]["train_accuracy"] == accuracy


def test_the_trainer_folds_lr_only_for_plain_sgd(rng, monkeypatch):
    # Momentum's and weight decay's rules are not param -= lr * grad: they get true gradients.
    class BookSGD(SGD):  # a learner's own rule, even one that reads like SGD's, is not assumed
        def rule(self, param, grad, state):
            param -= self.lr * grad

    class CountingSGD(SGD):  # nor a learner's own update, which may not take lr_folded
        def update(self, params, grads):
            self.calls = getattr(self, "calls", 0) + 1
            super().update(params, grads)

    seen = []
    loss_and_grads = type(mlp(2, [3], 2)).loss_and_grads

    def recording(self, x, t, labels_checked=False, grad_scale=1.0):
        seen.append(grad_scale)
        return loss_and_grads(self, x, t, labels_checked, grad_scale)

    monkeypatch.setattr(type(mlp(2, [3], 2)), "loss_and_grads", recording)
    x, t = rng.standard_normal((20, 4)).astype(np.float32), rng.integers(0, 3, 20)
    cases = [(SGD(0.25), 0.25), (SGD(0.25, weight_decay=0.01), 1.0), (Momentum(0.25), 1.0), (BookSGD(0.25), 1.0)]
    cases.append((CountingSGD(0.25), 1.0))
    for optimizer, scale in cases:
        seen.clear()
        Trainer(mlp(4, [3], 3, seed=0), optimizer, batch_size=10, progress="none").fit(x, t, 1)
        assert seen == [scale, scale], optimizer
    assert cases[-1][0].calls == 2


def test_the_network_asks_its_first_layer_for_no_input_gradient(rng, monkeypatch):
    model = mlp(5, [4], 3, dtype="float64", seed=0)
    first, second = model.layers[0], model.layers[2]
    calls = {}

    def spy(layer, name):
        backward = layer.backward

        def recording(dout, **options):
            calls[name] = options
            returned = backward(dout, **options)
            calls[name + " returned"] = returned
            return returned

        monkeypatch.setattr(layer, "backward", recording)

    spy(first, "first")
    spy(second, "second")
    model.loss_and_grads(rng.standard_normal((8, 5)), rng.integers(0, 3, 8))
    assert calls["first"] == {"input_grad": False}
    assert calls["first returned"] is None  # the (N, H) @ (H, D) product was not computed
    assert calls["second"] == {}
    assert calls["second returned"].shape == (8, 4)  # the hidden layer's dx is needed


def test_a_direct_backward_on_the_first_layer_still_returns_dx(rng):
    # A learner inspecting a trained network's first layer gets its input gradient, as the book's Affine gives.
    model = mlp(5, [4], 3, dtype="float64", seed=0)
    x = rng.standard_normal((8, 5))
    model.loss_and_grads(x, rng.integers(0, 3, 8))
    layer = model.layers[0]
    layer.forward(x)
    dout = rng.standard_normal((8, 4))
    np.testing.assert_allclose(layer.backward(dout), dout @ layer.W.T)
    assert layer.needs_input_grad  # the network no longer changes its layers' attributes


def test_affine_backward_honours_input_grad_and_needs_input_grad(rng):
    layer = Affine(rng.standard_normal((5, 4)), np.zeros(4))
    x, dout = rng.standard_normal((3, 5)), rng.standard_normal((3, 4))
    layer.forward(x)
    assert layer.backward(dout, input_grad=False) is None
    np.testing.assert_allclose(layer.dW, x.T @ dout)  # the parameter gradients are still computed
    assert layer.backward(dout, input_grad=True).shape == (3, 5)
    layer.needs_input_grad = False  # the public attribute keeps its meaning
    assert layer.backward(dout) is None
    assert layer.backward(dout, input_grad=True).shape == (3, 5)


def test_a_first_layer_whose_backward_takes_only_dout_still_trains(rng):
    # A learner's layer written the book's way: backward(self, dout), nothing more.
    class BookAffine(Layer):
        param_names = ("W", "b")
        weight_names = ("W",)

        def __init__(self, W, b):
            super().__init__()
            self.W, self.b = W, b

        def forward(self, x):
            self.x = x
            return x @ self.W + self.b

        def backward(self, dout):
            self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
            return dout @ self.W.T

    first, last = BookAffine(rng.standard_normal((5, 4)), np.zeros(4)), Affine(rng.standard_normal((4, 3)), np.zeros(3))
    model = Sequential(first, Relu(), last)
    x, t = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    _, _, grads = model.loss_and_grads(x, t)
    numerical = model.numerical_gradient(x, t)
    for name in grads:
        np.testing.assert_allclose(grads[name], numerical[name], rtol=1e-5, atol=1e-7, err_msg=name)


def test_step_costs_prints_the_per_step_counts_of_both_runs(capsys, monkeypatch):
    benchmarks = str(Path(__file__).parents[1] / "benchmarks")
    monkeypatch.syspath_prepend(benchmarks)
    import step_costs

    step_costs.main(["--hidden", "3", "--steps", "4"])
    row = r"^\| 3 \| (Trainer\.fit|floor) \| ([\d.]+) \| \d+ \| [\d.]+ \| [\d.]+ \|$"
    rows = re.findall(row, capsys.readouterr().out, re.M)
    assert [name for name, _ in rows] == ["Trainer.fit", "floor"]
    assert all(float(n_calls) > 0 for _, n_calls in rows)


def test_gradients_a_caller_keeps_are_not_overwritten_by_the_next_step(rng):
    # Affine drops its last gradients before computing new ones (so that their memory can be
    # reused): an array the caller still holds must keep its values all the same.
    model = mlp(5, [4], 3, seed=0)
    x, t = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    _, _, first = model.loss_and_grads(x, t)
    kept = {name: grad.copy() for name, grad in first.items()}
    _, _, second = model.loss_and_grads(2 * x, t)
    for name in first:
        np.testing.assert_array_equal(first[name], kept[name], err_msg=name)
        assert second[name] is not first[name]
        assert not np.array_equal(second[name], first[name]), name


def test_the_trainer_holds_no_gradients_of_a_step_into_the_next(rng, monkeypatch):
    # Only then can the next backward reuse their memory (see Affine.backward).
    holders = []
    backward = Affine.backward
    alone = types.SimpleNamespace(dW=np.zeros(3))
    held_by_its_object_only = sys.getrefcount(alone.dW)

    def watched(self, dout, input_grad=None):
        if self.dW is not None:
            holders.append(sys.getrefcount(self.dW) - held_by_its_object_only)  # others holding it
        return backward(self, dout, input_grad)

    monkeypatch.setattr(Affine, "backward", watched)
    x, t = rng.standard_normal((60, 5)).astype(np.float32), rng.integers(0, 3, 60)
    Trainer(mlp(5, [4], 3, seed=0), SGD(0.1), batch_size=10, progress="none").fit(x, t, 2)
    assert len(holders) == 2 * (2 * 6 - 1)  # two Affine layers, every step but the first
    assert set(holders) == {0}
