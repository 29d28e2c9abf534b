"""Every layer's backward against central differences, in float64.

For a layer ``out = L(x)`` and a random upstream gradient ``dout``, the scalar
``f = sum(L(x) * dout)`` has ``df/dx = L.backward(dout)`` and
``df/dW = L.dW``; both are compared with numerical gradients of ``f``.
"""

import copy

import numpy as np
import pytest

from nnscratch import BatchNorm, Dropout, MSELoss, Relu, SoftmaxWithLoss
from nnscratch.gradcheck import relative_error
from nnscratch.numgrad import numerical_gradient

from layer_registry import LAYERS

H = 1e-6
TOLERANCE = 1e-7


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_backward_matches_numerical_gradient(name, seed):
    rng = np.random.default_rng(seed)
    pristine, x = LAYERS[name](rng)
    layer = copy.deepcopy(pristine)
    out = layer.forward(x)
    dout = rng.standard_normal(out.shape)
    dx = layer.backward(dout)
    assert dx.shape == x.shape

    def f(_):
        # A fresh copy each time: the same dropout mask, the same running statistics.
        # The parameters being perturbed live in ``pristine``, so the copy sees them.
        return float((copy.deepcopy(pristine).forward(x) * dout).sum())

    assert relative_error(dx, numerical_gradient(f, x, H)) < TOLERANCE
    for key, param in pristine.params.items():
        assert relative_error(layer.grads[key], numerical_gradient(f, param, H)) < TOLERANCE, key


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


@pytest.mark.parametrize("labels", ["integer", "one_hot"])
@pytest.mark.parametrize("loss_cls", [SoftmaxWithLoss, MSELoss])
def test_loss_forward_leaves_the_scores_it_was_given_unchanged(loss_cls, labels, rng):
    """SoftmaxWithLoss computes exp in place, in an array of its own: never in the caller's."""
    x = rng.standard_normal((5, 4)) * 3
    t = rng.integers(0, 4, 5)
    if labels == "one_hot":
        t = np.eye(4)[t]
    before = x.copy()
    x.flags.writeable = False  # any write would raise
    loss_cls().forward(x, t)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("layout", ["fortran", "strided"])
def test_softmax_with_loss_picks_each_rows_label_from_scores_in_any_memory_layout(layout, rng):
    """The label's score is read and its gradient written through a flat index (row * C + label)."""
    x = rng.standard_normal((6, 5)) * 3
    t = rng.integers(0, 5, 6)
    other = np.asfortranarray(x) if layout == "fortran" else np.repeat(x, 2, axis=1)[:, ::2]
    assert not other.flags.c_contiguous
    plain, odd = SoftmaxWithLoss(), SoftmaxWithLoss()
    assert odd.forward(other, t) == pytest.approx(plain.forward(x, t), rel=1e-15)
    np.testing.assert_allclose(odd.backward(1.0), plain.backward(1.0), rtol=1e-15, atol=1e-17)
    y = np.exp(x - x.max(axis=1, keepdims=True))
    y /= y.sum(axis=1, keepdims=True)
    expected = y.copy()
    expected[np.arange(6), t] -= 1  # the book's way: the pair (rows, labels)
    np.testing.assert_allclose(plain.backward(1.0), expected / 6, rtol=1e-13, atol=1e-17)
    assert plain.forward(x, t) == pytest.approx(-np.log(y[np.arange(6), t]).mean(), rel=1e-13)


def test_backward_does_not_mutate_dout(rng):
    for make in LAYERS.values():
        layer, x = make(rng)
        dout = rng.standard_normal(layer.forward(x).shape)
        dout.flags.writeable = False  # any write would raise
        before = dout.copy()
        layer.backward(dout)
        np.testing.assert_array_equal(dout, before)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_an_inplace_relu_gives_the_plain_relus_numbers_in_its_callers_arrays(rng, dtype):
    x = (rng.standard_normal((6, 5)) * 4).astype(dtype)
    dout = (rng.standard_normal(x.shape) * 4).astype(dtype)
    plain = Relu()
    expected_out, expected_dx = plain.forward(x), plain.backward(dout)
    relu, x_in, dout_in = Relu(inplace=True), x.copy(), dout.copy()
    out = relu.forward(x_in)
    assert out is x_in  # written over its input, as torch.nn.ReLU(inplace=True)
    dx = relu.backward(dout_in)
    assert dx is dout_in
    np.testing.assert_array_equal(out, expected_out)
    np.testing.assert_array_equal(dx, expected_dx)
    assert out.dtype == expected_out.dtype and dx.dtype == expected_dx.dtype


def test_relu_inplace_must_be_a_bool():
    with pytest.raises(TypeError, match="inplace must be True or False, got 'yes'"):
        Relu(inplace="yes")
    assert repr(Relu()) == "Relu()" and repr(Relu(inplace=True)) == "Relu(inplace=True)"


def test_eval_mode_dropout_is_identity_and_batchnorm_uses_running_statistics(rng):
    x = rng.standard_normal((8, 3))
    dropout = Dropout(0.5, seed=0).eval()
    np.testing.assert_array_equal(dropout.forward(x), x)
    bn = BatchNorm(np.ones(3), np.zeros(3))
    for _ in range(200):
        bn.forward(rng.standard_normal((64, 3)) * 2 + 5)
    np.testing.assert_allclose(bn.running_mean, 5, atol=0.2)
    np.testing.assert_allclose(bn.running_var, 4, atol=0.5)
    out = bn.eval().forward(x)
    np.testing.assert_allclose(out, (x - bn.running_mean) / np.sqrt(bn.running_var + bn.eps))


def test_dropout_drops_the_ratio_and_keeps_the_mean(rng):
    x = np.ones((200, 500))
    out = Dropout(0.3, seed=1).forward(x)
    assert (out == 0).mean() == pytest.approx(0.3, abs=0.01)
    assert out.mean() == pytest.approx(1.0, abs=0.02)
