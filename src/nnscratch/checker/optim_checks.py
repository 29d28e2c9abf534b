"""Checks for optimizers with ``update(params, grads)``: five steps against
the library's rule, arrays changed in place, state per parameter, and a
quadratic whose loss must fall."""

import numpy as np

import nnscratch
from nnscratch.checker.compare import FAIL, PASS, D, M, judge, result, rng_for

# The book's constructor calls, positionally: SGD(lr), Momentum(lr, momentum), Adam(lr, beta1, beta2), ...
ARGS = {
    "SGD": (0.1,),
    "Momentum": (0.1, 0.9),
    "Nesterov": (0.1, 0.9),
    "AdaGrad": (0.1,),
    "RMSprop": (0.01, 0.99),
    "Adam": (0.001, 0.9, 0.999),
}
STEPS = 5


def start_params():
    rng = rng_for("optim-params")
    return {"W": 1.0 + 0.3 * rng.standard_normal((D, M)), "b": 1.0 + 0.3 * rng.standard_normal(M)}


def step_grads(step):
    """Gradients of size 1 to 10: the optimizers' small eps (1e-7 or 1e-8) cannot matter."""
    rng = rng_for(f"optim-grads{step}")
    return {
        key: rng.choice([-1.0, 1.0], size=shape) * rng.uniform(1.0, 10.0, size=shape)
        for key, shape in (("W", (D, M)), ("b", (M,)))
    }


def run_steps(optimizer, params, steps=STEPS):
    for step in range(steps):
        optimizer.update(params, {k: v.copy() for k, v in step_grads(step).items()})
    return params


def _momentum_wrong_sign(name):
    lr, momentum = ARGS[name][:2]
    params, velocity = start_params(), {}
    for step in range(STEPS):
        for key, grad in step_grads(step).items():
            velocity[key] = momentum * velocity.get(key, 0.0) + lr * grad
            params[key] = params[key] + velocity[key]
    return params


def _adam_no_bias_correction():
    lr, beta1, beta2 = ARGS["Adam"]
    params, m, v = start_params(), {}, {}
    for step in range(STEPS):
        for key, grad in step_grads(step).items():
            m[key] = beta1 * m.get(key, 0.0) + (1 - beta1) * grad
            v[key] = beta2 * v.get(key, 0.0) + (1 - beta2) * grad**2
            params[key] = params[key] - lr * m[key] / (np.sqrt(v[key]) + 1e-8)
    return params


def variants(name, key):
    """Known-wrong results of the five steps for parameter ``key``."""
    found = [("optimizer-not-in-place", start_params()[key])]
    if name == "Momentum":
        found.append(("momentum-wrong-sign", _momentum_wrong_sign(name)[key]))
    if name == "Adam":
        found.append(("adam-no-bias-correction", _adam_no_bias_correction()[key]))
    return found


def check_five_steps(name, cls):
    original = start_params()
    run_steps(cls(*ARGS[name]), dict(original))  # changes the arrays in `original`, or should
    expected = run_steps(getattr(nnscratch, name)(*ARGS[name]), start_params())
    for key in expected:
        # The arrays the caller holds are what a network sees, whether or not the dict was rebound.
        outcome = judge("five-steps", original[key], expected[key], variants(name, key), what=f"params['{key}']")
        if outcome["status"] != PASS:
            return outcome
    return outcome


def check_in_place(name, cls):
    params = start_params()
    held = dict(params)
    cls(*ARGS[name]).update(params, step_grads(0))
    if any(params[k] is not held[k] for k in held) or all(np.array_equal(held[k], start_params()[k]) for k in held):
        return result("in-place", FAIL, "optimizer-not-in-place", "optimizer-not-in-place")
    return result("in-place", PASS, "in-place-ok")


def check_state_per_parameter(name, cls):
    """Two parameters of the same shape with different gradients: shared state would mix them."""
    rng = rng_for("optim-state")
    start = {"a": 2.0 + 0.3 * rng.standard_normal(M), "b": 2.0 + 0.3 * rng.standard_normal(M)}
    grads = [{"a": rng.uniform(2, 5, M), "b": -rng.uniform(2, 5, M)} for _ in range(3)]
    got, expected = {k: v.copy() for k, v in start.items()}, {k: v.copy() for k, v in start.items()}
    learner, reference = cls(*ARGS[name]), getattr(nnscratch, name)(*ARGS[name])
    for step_grad in grads:
        learner.update(got, {k: v.copy() for k, v in step_grad.items()})
        reference.update(expected, {k: v.copy() for k, v in step_grad.items()})
    return judge(
        "state-per-parameter",
        np.stack([got["a"], got["b"]]),
        np.stack([expected["a"], expected["b"]]),
        what="two parameters of one shape",
    )


def check_loss_falls(name, cls):
    curvature = np.linspace(0.5, 5.0, D * M).reshape(D, M)
    params = {"W": np.ones((D, M))}
    start = 0.5 * float(np.sum(curvature * params["W"] ** 2))
    optimizer = cls(*ARGS[name])
    for _ in range(30):
        optimizer.update(params, {"W": curvature * params["W"]})
    end = 0.5 * float(np.sum(curvature * np.asarray(params["W"]) ** 2))
    if not end < start:
        return result("loss-falls", FAIL, "loss-not-falling", start=f"{start:.4g}", end=f"{end:.4g}")
    return result("loss-falls", PASS, "loss-fell", start=f"{start:.4g}", end=f"{end:.4g}")


def optim_checks(name, cls):
    """``([(check name, callable)], None)`` for an optimizer."""
    return [
        ("five-steps", lambda: check_five_steps(name, cls)),
        ("in-place", lambda: check_in_place(name, cls)),
        ("state-per-parameter", lambda: check_state_per_parameter(name, cls)),
        ("loss-falls", lambda: check_loss_falls(name, cls)),
    ], None
