"""Every layer of the package, with a random float64 input of a random shape.

The list of layers is the package's own registry (``nnscratch.layers.LAYERS``);
this module adds, per layer, how to build ``(layer, x)`` from a
``numpy.random.Generator``, the layer in training mode. A layer registered
without a factory here fails the parametrized tests with a message saying so,
so a new layer is checked the day it lands.
"""

import numpy as np
import pytest

from nnscratch import (
    Affine,
    AvgPooling,
    BatchNorm,
    Convolution,
    Dropout,
    Elu,
    Flatten,
    LeakyRelu,
    Maxout,
    Pooling,
    Relu,
    Sigmoid,
    Tanh,
)
from nnscratch.layers import LAYERS as REGISTERED


def _batch_and_features(rng):
    return int(rng.integers(2, 6)), int(rng.integers(2, 7))


def _away_from_zero(x, margin=1e-2):
    """Push values out of (-margin, margin): a kink at 0 would spoil central differences."""
    return np.where(x >= 0, x + margin, x - margin)


def make_affine(rng):
    n, m = _batch_and_features(rng)
    trailing = tuple(int(s) for s in rng.integers(1, 4, size=int(rng.integers(1, 3))))
    d = int(np.prod(trailing))
    layer = Affine(rng.standard_normal((d, m)), rng.standard_normal(m))
    return layer, rng.standard_normal((n, *trailing))


def make_maxout(rng):
    n, m = _batch_and_features(rng)
    d, k = int(rng.integers(2, 6)), int(rng.integers(2, 4))
    layer = Maxout(rng.standard_normal((k, d, m)), rng.standard_normal((k, m)))
    return layer, rng.standard_normal((n, d))


def make_batchnorm(rng):
    n, d = _batch_and_features(rng)
    layer = BatchNorm(rng.standard_normal(d), rng.standard_normal(d))
    return layer, rng.standard_normal((n + 2, d)) * 3 + 1


def make_dropout(rng):
    n, d = _batch_and_features(rng)
    return Dropout(0.4, seed=int(rng.integers(1000))), rng.standard_normal((n, d))


def _window(rng, max_size=4):
    """A random window, stride and padding; often non-square, often not dividing the image evenly."""
    fh, fw = int(rng.integers(1, max_size + 1)), int(rng.integers(1, max_size + 1))
    stride, pad = int(rng.integers(1, 4)), int(rng.integers(0, 3))
    return fh, fw, stride, pad


def _image(rng, c, fh, fw, pad, scale=1.0):
    """A float64 batch (N, C, H, W) with H != W, big enough for the window after padding."""
    n = int(rng.integers(1, 4))
    h = max(fh - 2 * pad, 1) + int(rng.integers(0, 5))
    w = max(fw - 2 * pad, 1) + int(rng.integers(1, 6))
    return rng.standard_normal((n, c, h, w)) * scale


def make_convolution(rng):
    fh, fw, stride, pad = _window(rng)
    c, fn = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    layer = Convolution(rng.standard_normal((fn, c, fh, fw)), rng.standard_normal(fn), stride=stride, pad=pad)
    return layer, _image(rng, c, fh, fw, pad)


def _pooling(cls):
    def make(rng):
        fh, fw, stride, _ = _window(rng)
        pad = int(rng.integers(0, min(fh, fw) // 2 + 1))  # PyTorch allows at most half the window
        return cls(fh, fw, stride=stride, pad=pad), _image(rng, int(rng.integers(1, 4)), fh, fw, pad)

    return make


def make_flatten(rng):
    n, d = _batch_and_features(rng)
    return Flatten(), rng.standard_normal((n, d, int(rng.integers(1, 4)), int(rng.integers(1, 4))))


def _elementwise(cls, kinked=False, **kwargs):
    def make(rng):
        n, d = _batch_and_features(rng)
        x = rng.standard_normal((n, d)) * 2
        return cls(**kwargs), (_away_from_zero(x) if kinked else x)

    return make


FACTORIES = {
    "Affine": make_affine,
    "Relu": _elementwise(Relu, kinked=True),
    "Sigmoid": _elementwise(Sigmoid),
    "Tanh": _elementwise(Tanh),
    "LeakyRelu": _elementwise(LeakyRelu, kinked=True, alpha=0.1),
    "Elu": _elementwise(Elu, kinked=True, alpha=0.7),
    "Maxout": make_maxout,
    "BatchNorm": make_batchnorm,
    "Dropout": make_dropout,
    "Convolution": make_convolution,
    "Pooling": _pooling(Pooling),
    "AvgPooling": _pooling(AvgPooling),
    "Flatten": make_flatten,
}


def _missing(name):
    def fail(rng):
        pytest.fail(f"layer {name} is registered but tests/layer_registry.py has no factory for it; add one")

    return fail


LAYERS = {name: FACTORIES.get(name, _missing(name)) for name in REGISTERED}
