"""Checks every layer gets: forward, gradient shapes, each gradient against
central differences, arguments left alone, backward twice, a batch of one.

Each check builds a fresh layer, so one failure does not spill into the next.
"""

import numpy as np

from nnscratch.checker.compare import FAIL, PASS, WARN, N, judge, match, numeric_gradient, result, same
from nnscratch.checker.layer_specs import (
    SPECS,
    affine_spec,
    output_array,
    param_grads,
    random_dout,
    run_backward,
    run_forward,
)


def _forward_backward(spec, layer, inputs):
    """Run forward then backward with a random dout; return ``(out, dout, grads)``."""
    out = output_array(run_forward(layer, inputs), "forward's output")
    dout = random_dout(out.shape)
    grads = {**run_backward(layer, dout, spec.input_names), **param_grads(layer, spec.params)}
    return out, dout, grads


def check_forward(spec, cls):
    inputs = spec.inputs(N)
    expected = run_forward(spec.reference(), inputs)
    return judge("forward", run_forward(spec.make(cls), inputs), expected, what="the forward output")


def check_shapes(spec, cls):
    inputs = spec.inputs(N)
    layer = spec.make(cls)
    _, dout, grads = _forward_backward(spec, layer, inputs)
    _, _, expected = _forward_backward(spec, spec.reference(), inputs)
    variants = spec.variants(inputs, {p: getattr(layer, p) for p in spec.params}, dout)
    for name, value in grads.items():
        if value is None:
            return result("backward-shapes", FAIL, "missing-gradient", what=name)
        if np.shape(value) != np.shape(expected[name]):
            mistake = match(value, variants.get(name, ()))
            return result(
                "backward-shapes",
                FAIL,
                mistake or "wrong-shape",
                mistake,
                what=name,
                expected=np.shape(expected[name]),
                received=np.shape(value),
            )
    return result("backward-shapes", PASS, "shapes-ok", what=", ".join(grads))


def check_gradient(spec, cls, name):
    """``name`` ("dx", "dW", ...) against the central difference of ``sum(forward(x) * dout)``."""
    check = f"backward-{name}"
    inputs = [x.copy() for x in spec.inputs(N)]
    layer = spec.make(cls)
    _, dout, grads = _forward_backward(spec, layer, inputs)
    if grads[name] is None:
        return result(check, FAIL, "missing-gradient", what=name)
    variants = spec.variants(inputs, {p: getattr(layer, p).copy() for p in spec.params}, dout).get(name, ())
    if name in spec.input_names:
        target = inputs[spec.input_names.index(name)]
    else:
        target = getattr(layer, name[1:])
    expected = numeric_gradient(lambda: float(np.sum(run_forward(layer, inputs) * dout)), target)
    return judge(check, grads[name], expected, variants, what=name, numeric=True)


def check_inputs_unchanged(spec, cls):
    inputs = spec.inputs(N)
    kept = [x.copy() for x in inputs]
    layer = spec.make(cls)
    out = output_array(layer.forward(*inputs), "forward's output")
    if not all(np.array_equal(a, b) for a, b in zip(inputs, kept, strict=True)):
        return result("inputs-unchanged", FAIL, "mutates-input", "mutates-input", method="forward")
    layer.backward(random_dout(out.shape))
    if not all(np.array_equal(a, b) for a, b in zip(inputs, kept, strict=True)):
        return result("inputs-unchanged", FAIL, "mutates-input", "mutates-input", method="backward")
    return result("inputs-unchanged", PASS, "inputs-kept")


def check_dout_unchanged(spec, cls):
    layer = spec.make(cls)
    out = output_array(run_forward(layer, spec.inputs(N)), "forward's output")
    dout = random_dout(out.shape)
    kept = dout.copy()
    layer.backward(dout)
    if not np.array_equal(dout, kept):
        return result("dout-unchanged", WARN, "dout-modified")
    return result("dout-unchanged", PASS, "dout-kept")


def check_backward_twice(spec, cls):
    layer = spec.make(cls)
    out = output_array(run_forward(layer, spec.inputs(N)), "forward's output")
    dout = random_dout(out.shape)

    def gradients():
        grads = {**run_backward(layer, dout, spec.input_names), **param_grads(layer, spec.params)}
        return {k: None if v is None else np.array(v, dtype=np.float64) for k, v in grads.items()}

    first, second = gradients(), gradients()
    for name, value in first.items():
        if value is not None and not same(second[name], value):
            mistake = match(second[name], [("backward-accumulates", 2 * value)])
            return result("backward-twice", FAIL, mistake or "backward-differs", mistake, what=name)
    return result("backward-twice", PASS, "twice-same")


def check_batch_of_one(spec, cls):
    inputs = spec.inputs(1)
    layer, ref = spec.make(cls), spec.reference()
    out = run_forward(layer, inputs)
    verdicts = [judge("batch-of-one", out, run_forward(ref, inputs), what="the forward output")]
    dout = random_dout(np.shape(out))
    want = {**run_backward(ref, dout, spec.input_names), **param_grads(ref, spec.params)}
    got = {**run_backward(layer, dout, spec.input_names), **param_grads(layer, spec.params)}
    variants = spec.variants(inputs, {p: getattr(ref, p) for p in spec.params}, dout)
    verdicts += [
        judge("batch-of-one", got[k], want[k], variants.get(k, ()), what=k) for k in want if got[k] is not None
    ]
    failed = [v for v in verdicts if v["status"] != PASS]
    return failed[0] if failed else result("batch-of-one", PASS, "batch-of-one-ok")


def check_affine_nd(cls):
    """Affine on (N, 2, 3): flattened to (N, 6) inside, dx back in (N, 2, 3)."""
    spec = affine_spec(d=6)
    nd = spec.inputs(N)[0].reshape(N, 2, 3)
    layer = spec.make(cls)
    try:
        out = layer.forward(nd.copy())
    except Exception:  # the 2-D input of the same numbers is checked elsewhere
        run_forward(spec.make(cls), (nd.reshape(N, 6),))
        return result("nd-input", FAIL, "affine-input-not-flattened", "affine-input-not-flattened")
    ref = spec.reference()
    verdict = judge("nd-input", out, ref.forward(nd.copy()), what="the forward output")
    if verdict["status"] != PASS:
        return verdict
    dout = random_dout((N, spec.args[0].shape[1]))
    dx = run_backward(layer, dout, ("dx",))["dx"]
    variants = spec.variants((nd,), {"W": spec.args[0]}, dout)["dx"]
    return judge("nd-input", dx, ref.backward(dout.copy()), variants, what="dx")


def diagnose_affine(cls, error):
    """When backward raised on non-square shapes, try square ones: was it ``dout @ W``?"""
    spec = affine_spec(d=4, m=4)
    try:
        layer = spec.make(cls)
        _, dout, grads = _forward_backward(spec, layer, spec.inputs(N))
    except Exception:
        return None
    return match(grads["dx"], spec.variants(spec.inputs(N), {"W": spec.args[0]}, dout)["dx"])


def layer_checks(name, cls):
    """``([(check name, callable)], diagnose)`` for a layer named ``name``."""
    spec = SPECS[name]
    checks = [("forward", lambda: check_forward(spec, cls))]
    if name == "Affine":
        checks.append(("nd-input", lambda: check_affine_nd(cls)))
    checks.append(("backward-shapes", lambda: check_shapes(spec, cls)))
    for grad in spec.input_names + tuple("d" + p for p in spec.params):
        checks.append((f"backward-{grad}", lambda g=grad: check_gradient(spec, cls, g)))
    checks += [
        ("inputs-unchanged", lambda: check_inputs_unchanged(spec, cls)),
        ("dout-unchanged", lambda: check_dout_unchanged(spec, cls)),
        ("backward-twice", lambda: check_backward_twice(spec, cls)),
    ]
    if name != "BatchNorm":  # a batch of one has no variance to normalise by
        checks.append(("batch-of-one", lambda: check_batch_of_one(spec, cls)))
    diagnose = (lambda error: diagnose_affine(cls, error)) if name == "Affine" else None
    return checks, diagnose
