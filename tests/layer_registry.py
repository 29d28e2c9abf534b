"""Every layer of the package, with a random float64 input of a random shape.

The list of layers is the package's own registry (``nnscratch.layers.LAYERS``);
this module adds, per layer, how to build ``(layer, x)`` from a
``numpy.random.Generator``, the layer in training mode. A layer registered
without a factory here fails the parametrized tests with a message saying so,
so a new layer is checked the day it lands.
"""

import numpy as np
import pytest

from nnscratch import Affine, BatchNorm, Dropout, Elu, LeakyRelu, Maxout, Relu, Sigmoid, Tanh
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
}


def _missing(name):
    def fail(rng):
        pytest.fail(f"layer {name} is registered but tests/layer_registry.py has no factory for it; add one")

    return fail


LAYERS = {name: FACTORIES.get(name, _missing(name)) for name in REGISTERED}
