"""Every layer's backward against central differences, in float64.

For a layer ``out = L(x)`` and a random upstream gradient ``dout``, the scalar
``f = sum(L(x) * dout)`` has ``df/dx = L.backward(dout)`` and
``df/dW = L.dW``; both are compared with numerical gradients of ``f``.
"""

import numpy as np
import pytest

from nnscratch import MSELoss, SoftmaxWithLoss
from nnscratch.gradcheck import relative_error
from nnscratch.numgrad import numerical_gradient

from layer_registry import LAYERS

H = 1e-6
TOLERANCE = 1e-7


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_backward_matches_numerical_gradient(name, seed):
    rng = np.random.default_rng(seed)
    layer, x = LAYERS[name](rng)
    out = layer.forward(x)
    dout = rng.standard_normal(out.shape)
    dx = layer.backward(dout)
    assert dx.shape == x.shape

    def f(_):
        return float((layer.forward(x) * dout).sum())

    assert relative_error(dx, numerical_gradient(f, x, H)) < TOLERANCE
    layer.forward(x)
    layer.backward(dout)
    analytic = {key: grad.copy() for key, grad in layer.grads.items()}
    for key, param in layer.params.items():
        assert relative_error(analytic[key], numerical_gradient(f, param, H)) < TOLERANCE, key


@pytest.mark.parametrize("labels", ["integer", "one_hot"])
@pytest.mark.parametrize("loss_cls", [SoftmaxWithLoss, MSELoss])
def test_loss_backward_matches_numerical_gradient(loss_cls, labels, rng):
    n, c = 5, 4
    x = rng.standard_normal((n, c)) * 3
    t = rng.integers(0, c, n)
    if labels == "one_hot":
        t = np.eye(c)[t]
    loss = loss_cls()
    dout = 1.7
    loss.forward(x, t)
    dx = loss.backward(dout)
    numeric = numerical_gradient(lambda _: dout * loss.forward(x, t), x, H)
    assert relative_error(dx, numeric) < TOLERANCE


def test_backward_does_not_mutate_dout(rng):
    for make in LAYERS.values():
        layer, x = make(rng)
        dout = rng.standard_normal(layer.forward(x).shape)
        before = dout.copy()
        layer.backward(dout)
        np.testing.assert_array_equal(dout, before)
