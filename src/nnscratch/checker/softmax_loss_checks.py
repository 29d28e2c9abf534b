"""Checks for the SoftmaxWithLoss layer: the loss, labels as indices or
one-hot, ``backward`` equal to ``(y - t) / N`` times ``dout``, the gradient
against central differences, arguments left alone, backward twice, N = 1."""

import numpy as np

import nnscratch
from nnscratch.checker.compare import FAIL, PASS, N, judge, numeric_gradient, result, rng_for, same
from nnscratch.checker.loss_checks import C, closest, exact_cross_entropy


def scores(n=N):
    """``(x, t_index, t_one_hot)``: scores whose true class is clearly ahead (guard effect < 1e-7)."""
    rng = rng_for(f"swl{n}")
    x = rng.standard_normal((n, C))
    labels = rng.integers(0, C, n)
    x[np.arange(n), labels] += 6.0
    return x, labels, np.eye(C)[labels]


def _reference_loss(value, x, labels, t):
    guarded = nnscratch.cross_entropy_error(nnscratch.softmax(x), t)
    return closest(
        value, [nnscratch.SoftmaxWithLoss().forward(x, t), guarded, exact_cross_entropy(nnscratch.softmax(x), labels)]
    )


def check_forward(cls, n=N, check="forward"):
    x, labels, t = scores(n)
    value = cls().forward(x.copy(), t.copy())
    return judge(check, value, _reference_loss(value, x, labels, t), what="the loss")


def check_index_labels(cls):
    x, labels, t = scores()
    one_hot, index = cls(), cls()
    verdict = judge(
        "index-labels",
        index.forward(x.copy(), labels.copy()),
        one_hot.forward(x.copy(), t.copy()),
        what="the loss with index labels",
    )
    if verdict["status"] != PASS:
        return verdict
    return judge("index-labels", index.backward(1.0), one_hot.backward(1.0), what="dx with index labels")


def check_backward_formula(cls):
    x, _, t = scores()
    layer = cls()
    layer.forward(x.copy(), t.copy())
    y = nnscratch.softmax(x)
    variants = [("softmaxwithloss-not-divided-by-n", y - t), ("softmaxwithloss-divided-twice", (y - t) / N**2)]
    return judge("backward-formula", layer.backward(1.0), (y - t) / N, variants, what="dx")


def check_uses_dout(cls):
    x, _, t = scores()
    layer = cls()
    layer.forward(x.copy(), t.copy())
    once = np.array(layer.backward(1.0), dtype=float)
    scaled = layer.backward(2.5)
    if same(scaled, once):
        return result("backward-uses-dout", FAIL, "dout-ignored")
    return judge("backward-uses-dout", scaled, 2.5 * (nnscratch.softmax(x) - t) / N, what="dx for dout = 2.5")


def check_gradient(cls):
    x, _, t = scores()
    layer = cls()
    layer.forward(x.copy(), t.copy())
    dx = layer.backward(1.0)
    expected = numeric_gradient(lambda: float(layer.forward(x.copy(), t.copy())), x)
    return judge("backward-dx", dx, expected, what="dx", numeric=True)


def check_inputs_unchanged(cls):
    x, _, t = scores()
    kept_x, kept_t = x.copy(), t.copy()
    layer = cls()
    layer.forward(x, t)
    layer.backward(1.0)
    if not (np.array_equal(x, kept_x) and np.array_equal(t, kept_t)):
        return result("inputs-unchanged", FAIL, "mutates-input", "mutates-input", method="forward/backward")
    return result("inputs-unchanged", PASS, "inputs-kept")


def check_backward_twice(cls):
    x, _, t = scores()
    layer = cls()
    layer.forward(x.copy(), t.copy())
    first = np.array(layer.backward(1.0), dtype=float)
    second = layer.backward(1.0)
    if not same(second, first):
        mistake = "backward-accumulates" if same(second, 2 * first) else None
        return result("backward-twice", FAIL, mistake or "backward-differs", mistake, what="dx")
    return result("backward-twice", PASS, "twice-same")


def check_batch_of_one(cls):
    verdict = check_forward(cls, 1, "batch-of-one")
    if verdict["status"] != PASS:
        return verdict
    x, _, t = scores(1)
    layer = cls()
    layer.forward(x.copy(), t.copy())
    return judge("batch-of-one", layer.backward(1.0), nnscratch.softmax(x) - t, what="dx")


def softmax_loss_checks(name, cls):
    """``([(check name, callable)], None)`` for SoftmaxWithLoss."""
    return [
        ("forward", lambda: check_forward(cls)),
        ("index-labels", lambda: check_index_labels(cls)),
        ("backward-formula", lambda: check_backward_formula(cls)),
        ("backward-uses-dout", lambda: check_uses_dout(cls)),
        ("backward-dx", lambda: check_gradient(cls)),
        ("inputs-unchanged", lambda: check_inputs_unchanged(cls)),
        ("backward-twice", lambda: check_backward_twice(cls)),
        ("batch-of-one", lambda: check_batch_of_one(cls)),
    ], None
