"""Checks for Dropout: the training mask, backward through the same mask,
evaluation mode, arguments left alone.

Both conventions pass: the book's (keep x in training, scale by
``1 - ratio`` in evaluation) and inverted dropout (scale by
``1 / (1 - ratio)`` in training, keep x in evaluation).
"""

import inspect

import numpy as np

from nnscratch.checker.compare import FAIL, PASS, WARN, away_from_zero, judge, result, rng_for
from nnscratch.checker.layer_specs import output_array, random_dout

RATIO = 0.5
SHAPE = (100, 40)  # enough units that the dropped fraction is close to the ratio


def _setup(cls):
    np.random.seed(0)  # noqa: NPY002 - the book's Dropout draws from NumPy's global generator
    return cls(RATIO), away_from_zero(rng_for("dropout"), SHAPE)


def forward_eval(layer, x):
    """Evaluation-mode forward: ``forward(x, False)`` (the book) or ``eval()`` then ``forward(x)``."""
    if len(inspect.signature(layer.forward).parameters) >= 2:
        return layer.forward(x, False)
    if hasattr(layer, "eval"):
        layer.eval()
    else:
        layer.training = False
    return layer.forward(x)


def training_scale(out, x):
    """The factor kept units are multiplied by, or None when the output is not x times a 0/s mask."""
    ratio = out / x
    kept = ratio[np.abs(ratio) > 1e-12]
    if kept.size == 0 or not np.allclose(kept, kept[0], rtol=1e-12, atol=0):
        return None
    return float(kept[0])


def check_mask(cls):
    layer, x = _setup(cls)
    out = output_array(layer.forward(x.copy()), "forward's output")
    scale = training_scale(out, x)
    dropped = float(np.mean(out == 0))
    if scale is None or not np.isclose(scale, 1.0) and not np.isclose(scale, 1 / (1 - RATIO)):
        return result("train-mask", FAIL, "dropout-not-mask")
    if abs(dropped - RATIO) > 0.05:
        return result("train-mask", FAIL, "dropout-fraction", expected=f"{RATIO:.2f}", received=f"{dropped:.2f}")
    return result("train-mask", PASS, "dropout-mask-ok", received=f"{dropped:.2f}")


def check_backward(cls):
    layer, x = _setup(cls)
    out = output_array(layer.forward(x.copy()), "forward's output")
    dout = random_dout(SHAPE)
    return judge("backward-dx", layer.backward(dout.copy()), dout * out / x, what="dx")


def check_eval(cls):
    layer, x = _setup(cls)
    scale = training_scale(output_array(layer.forward(x.copy()), "forward's output"), x) or 1.0
    return judge("eval-mode", forward_eval(layer, x.copy()), x * scale * (1 - RATIO), what="the evaluation output")


def check_arguments(cls):
    layer, x = _setup(cls)
    kept = x.copy()
    layer.forward(x)
    dout = random_dout(SHAPE)
    kept_dout = dout.copy()
    layer.backward(dout)
    if not np.array_equal(x, kept):
        return result("inputs-unchanged", FAIL, "mutates-input", "mutates-input", method="forward")
    if not np.array_equal(dout, kept_dout):
        return result("inputs-unchanged", WARN, "dout-modified")
    return result("inputs-unchanged", PASS, "inputs-kept")


def dropout_checks(name, cls):
    """``([(check name, callable)], None)`` for Dropout."""
    return [
        ("train-mask", lambda: check_mask(cls)),
        ("backward-dx", lambda: check_backward(cls)),
        ("eval-mode", lambda: check_eval(cls)),
        ("inputs-unchanged", lambda: check_arguments(cls)),
    ], None
