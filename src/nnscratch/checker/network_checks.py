"""Checks for TwoLayerNet: its params, its loss, and ``gradient`` against
central differences of its own loss and against the library's network."""

import numpy as np

import nnscratch
from nnscratch.checker.compare import FAIL, PASS, extrapolated_gradient, judge, rel_error, result, rng_for
from nnscratch.checker.loss_checks import closest

N_SAMPLES, SIZES = 3, (5, 4, 6)  # N, and (input_size, hidden_size, output_size): no two alike
SHAPES = {"W1": SIZES[:2], "b1": SIZES[1:2], "W2": SIZES[1:], "b2": SIZES[2:]}


def draw(seed):
    """Parameters and a batch; ``t`` is the reference's own argmax, so each true class is likely."""
    rng = rng_for(f"net{seed}")
    params = {k: (3.0 if k == "W2" else 1.0 if k == "W1" else 0.1) * rng.standard_normal(s) for k, s in SHAPES.items()}
    return params, rng.standard_normal((N_SAMPLES, SIZES[0]))


def reference(activation, params):
    net = nnscratch.TwoLayerNet(*SIZES, activation=activation)
    for key, value in params.items():
        net.params[key][...] = value
    return net


def batch(activation):
    """The first draw with hidden units away from ReLU's kink and each true class at p >= 0.9.

    At p >= 0.9 the book's ``log(y + 1e-7)`` moves the gradient by less than 6e-8.
    """
    for seed in range(200):
        params, x = draw(seed)
        pre = x @ params["W1"] + params["b1"]
        scores = reference(activation, params).predict(x)
        probs = nnscratch.softmax(scores)
        t = np.eye(SIZES[2])[probs.argmax(axis=1)]
        if np.abs(pre).min() > 0.05 and probs.max(axis=1).min() >= 0.9:
            return params, x, t
    raise RuntimeError("no suitable batch found")  # cannot happen with these seeds; kept as a guard


def build(cls, params):
    net = cls(*SIZES, 0.01)
    for key, value in params.items():
        net.params[key][...] = value
    return net


def activation_of(cls):
    """ "relu" or "sigmoid": whichever reference network the learner's loss agrees with."""
    params, x, t = batch("relu")
    loss = build(cls, params).loss(x.copy(), t.copy())
    return min(("relu", "sigmoid"), key=lambda a: rel_error(loss, reference(a, params).loss(x, t)))


def check_params(cls):
    net = cls(*SIZES, 0.01)
    got = {k: np.shape(v) for k, v in net.params.items()}
    for key, shape in SHAPES.items():
        if got.get(key) != tuple(shape):
            return result(
                "params", FAIL, "wrong-shape", what=f"params['{key}']", expected=tuple(shape), received=got.get(key)
            )
    return result("params", PASS, "shapes-ok", what=", ".join(SHAPES))


def check_loss(cls):
    activation = activation_of(cls)
    params, x, t = batch(activation)
    value = build(cls, params).loss(x.copy(), t.copy())
    ref = reference(activation, params)
    guarded = nnscratch.cross_entropy_error(nnscratch.softmax(ref.predict(x)), t)
    return judge("loss", value, closest(value, [ref.loss(x, t), guarded]), what="the loss")


def check_gradient(cls, against):
    activation = activation_of(cls)
    params, x, t = batch(activation)
    net = build(cls, params)
    grads = net.gradient(x.copy(), t.copy())
    ref = reference(activation, params)
    expected = ref.gradient(x, t)
    check = f"gradient-vs-{against}"
    for key in SHAPES:
        if against == "numerical":
            expected[key] = extrapolated_gradient(lambda: float(net.loss(x.copy(), t.copy())), net.params[key])
        outcome = judge(check, grads[key], expected[key], what=f"gradient['{key}']", numeric=against == "numerical")
        if outcome["status"] != PASS:
            return outcome
    return outcome


def network_checks(name, cls):
    """``([(check name, callable)], None)`` for TwoLayerNet."""
    return [
        ("params", lambda: check_params(cls)),
        ("loss", lambda: check_loss(cls)),
        ("gradient-vs-numerical", lambda: check_gradient(cls, "numerical")),
        ("gradient-vs-reference", lambda: check_gradient(cls, "reference")),
    ], None
