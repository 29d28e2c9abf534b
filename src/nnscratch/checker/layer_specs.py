"""How each layer is built, fed and compared: one :class:`LayerSpec` per name.

A spec knows the book's constructor call, fixed-seed float64 inputs (non-square
shapes N=3, D=5, M=4; ReLU inputs away from 0), the library's own layer as the
reference, and the known-wrong variants of each gradient with their mistake ids.
"""

from dataclasses import dataclass, field

import numpy as np

import nnscratch
from nnscratch.checker.compare import D, M, as_float_array, away_from_zero, rng_for


@dataclass
class LayerSpec:
    """What the generic layer checks need to know about one layer.

    Attributes
    ----------
    name : str
    args : tuple
        Constructor arguments (copied for every new instance).
    inputs : callable, n -> tuple of ndarray
        The forward arguments for a batch of ``n``.
    params : tuple of str
        Parameter attributes; their gradients are ``"d" + name``.
    input_names : tuple of str
        Names of the gradients ``backward`` returns, in order.
    variants : callable, (inputs, params, dout) -> dict[str, list of (mistake, ndarray)]
        Known-wrong gradients keyed by gradient name ("dx", "dW").
    """

    name: str
    args: tuple = ()
    inputs: object = None
    params: tuple = ()
    input_names: tuple = ("dx",)
    variants: object = field(default=lambda xs, ps, dout: {})

    def make(self, cls):
        """A fresh instance of ``cls`` built with copies of the arguments."""
        return cls(*(a.copy() if isinstance(a, np.ndarray) else a for a in self.args))

    def reference(self):
        """The library's own layer with the same arguments."""
        return self.make(getattr(nnscratch, self.name))


def run_forward(layer, inputs):
    """``layer.forward`` on copies of ``inputs`` (the learner may write into them)."""
    return layer.forward(*(x.copy() for x in inputs))


def run_backward(layer, dout, input_names):
    """``layer.backward`` on a copy of ``dout``, as ``{gradient name: array}``."""
    returned = layer.backward(dout.copy())
    values = returned if isinstance(returned, (tuple, list)) else (returned,)
    if len(values) != len(input_names):
        raise TypeError(
            f"backward returned {len(values)} value(s); expected {len(input_names)} ({', '.join(input_names)})"
        )
    return dict(zip(input_names, values, strict=True))


def param_grads(layer, params):
    """``{"dW": layer.dW, ...}``; a missing attribute is reported as None."""
    return {"d" + name: getattr(layer, "d" + name, None) for name in params}


def _affine_variants(inputs, params, dout):
    (x,) = inputs
    W = params["W"]
    x2 = x.reshape(x.shape[0], -1)
    dx = [("affine-input-not-flattened", (dout @ W.T))] if x.ndim > 2 else []
    if W.shape[0] == W.shape[1]:
        dx.append(("affine-dx-not-transposed", dout @ W))
    return {
        "dx": dx,
        "dW": [("affine-dw-wrong-orientation", dout.T @ x2)],
        "db": [("bias-grad-not-summed", dout), ("bias-grad-averaged", dout.mean(axis=0))],
    }


def _relu_variants(inputs, params, dout):
    (x,) = inputs
    wrong_masks = (dout * (x < 0), dout * (dout > 0), (x > 0) * 1.0, dout)
    return {"dx": [("relu-backward-wrong-mask", dx) for dx in wrong_masks]}


def _sigmoid_variants(inputs, params, dout):
    (x,) = inputs
    return {"dx": [("sigmoid-backward-uses-input", dout * x * (1.0 - x))]}


def affine_spec(d=D, m=M):
    """Affine(W, b) with W (d, m); inputs (n, d)."""
    rng = rng_for(f"Affine{d}x{m}")
    W, b = rng.standard_normal((d, m)), rng.standard_normal(m)
    return LayerSpec(
        "Affine",
        (W, b),
        lambda n: (rng_for(f"x{n}x{d}").standard_normal((n, d)),),
        ("W", "b"),
        variants=_affine_variants,
    )


def _activation_inputs(n):
    return (away_from_zero(rng_for(f"act{n}"), (n, D)),)


def _two_inputs(n):
    rng = rng_for(f"two{n}")
    return rng.standard_normal((n, D)), rng.standard_normal((n, D))


def _batchnorm_inputs(n):
    # A large variance makes the choice of eps (1e-5 here, 1e-6 in the book) irrelevant.
    return (1000.0 * rng_for(f"bn{n}").standard_normal((n, D)) + 300.0,)


def _batchnorm_spec():
    rng = rng_for("BatchNorm")
    return LayerSpec(
        "BatchNorm", (1.0 + 0.5 * rng.standard_normal(D), rng.standard_normal(D)), _batchnorm_inputs, ("gamma", "beta")
    )


SPECS = {
    "Affine": affine_spec(),
    "Relu": LayerSpec("Relu", (), _activation_inputs, variants=_relu_variants),
    "Sigmoid": LayerSpec("Sigmoid", (), _activation_inputs, variants=_sigmoid_variants),
    "Tanh": LayerSpec("Tanh", (), _activation_inputs),
    "LeakyRelu": LayerSpec("LeakyRelu", (0.1,), _activation_inputs),
    "Elu": LayerSpec("Elu", (1.0,), _activation_inputs),
    "MulLayer": LayerSpec("MulLayer", (), _two_inputs, input_names=("dx", "dy")),
    "AddLayer": LayerSpec("AddLayer", (), _two_inputs, input_names=("dx", "dy")),
    "BatchNorm": _batchnorm_spec(),
}


def random_dout(shape):
    """A random upstream gradient of ``shape``, float64 (never all ones, which hides transposes and sums)."""
    return rng_for(f"dout{shape}").standard_normal(shape)


def output_array(value, what):
    """``value`` as a float array, or a TypeError naming what was expected."""
    array = as_float_array(value)
    if array is None or array.dtype == object:
        raise TypeError(f"{what} should be an array of numbers, got {type(value).__name__}")
    return array
