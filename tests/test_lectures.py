"""The worked examples of SPEC 1.2-1.5, pinned to the lecture's numbers."""

import numpy as np
import pytest

from nnscratch import AddLayer, MulLayer, perceptron
from nnscratch.lectures import backprop, forward


@pytest.mark.parametrize(
    ("gate", "outputs"),
    [("AND", [0, 0, 0, 1]), ("NAND", [1, 1, 1, 0]), ("OR", [0, 1, 1, 1]), ("XOR", [0, 1, 1, 0])],
)
def test_gate_truth_tables(gate, outputs):
    table = perceptron.truth_table(getattr(perceptron, gate))
    assert [row[:2] for row in table] == [(0, 0), (1, 0), (0, 1), (1, 1)]
    assert [row[2] for row in table] == outputs


def test_xor_is_and_of_nand_and_or():
    for x1, x2 in perceptron.INPUTS:
        assert perceptron.XOR(x1, x2) == perceptron.AND(perceptron.NAND(x1, x2), perceptron.OR(x1, x2))


def test_mul_and_add_nodes():
    mul, add = MulLayer(), AddLayer()
    assert mul.forward(3.0, 4.0) == 12.0
    assert mul.backward(2.0) == (8.0, 6.0)
    assert add.forward(3.0, 4.0) == 7.0
    assert add.backward(2.0) == (2.0, 2.0)


def test_shopping_example():
    price, grads = backprop.shopping()
    assert price == pytest.approx(715)
    expected = {"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165, "tax": 650}
    assert grads == pytest.approx(expected)


def test_add_then_multiply():
    f, grads = backprop.add_then_multiply()
    assert f == -12
    assert grads == {"x": -4, "y": -4, "z": 3}


def test_sigmoid_neuron():
    f, grads = backprop.sigmoid_neuron()
    assert f == pytest.approx(0.7311, abs=5e-5)
    np.testing.assert_allclose(grads["w"], [-0.1966, -0.3932, 0.1966], atol=5e-5)
    np.testing.assert_allclose(grads["x"], [0.3932, -0.5898], atol=5e-5)


def test_squared_norm_of_product():
    f, grads = backprop.squared_norm_of_product()
    assert f == pytest.approx(0.116)
    np.testing.assert_allclose(grads["W"], [[0.088, 0.176], [0.104, 0.208]])
    np.testing.assert_allclose(grads["x"], [-0.112, 0.636])


@pytest.mark.parametrize("x", [-1.0, 0.0, 2.5])
def test_chain_rule(x):
    z, dz_dx = backprop.chain_rule(x)
    assert z == pytest.approx(4 * (5 * x + 3) ** 2)
    assert dz_dx == pytest.approx(40 * (5 * x + 3))


def test_iris_forward_pass_and_b2_plus_one():
    before = forward.iris_forward()
    np.testing.assert_allclose(before["scores"], [-0.8943, 1.0996, 2.0833], atol=5e-5)
    np.testing.assert_allclose(before["probabilities"], [0.0357, 0.2624, 0.7018], atol=5e-5)
    after = forward.iris_forward(b2_shift=1.0)
    np.testing.assert_allclose(after["probabilities"], [0.0246, 0.4917, 0.4837], atol=5e-5)
    assert before["loss"] == pytest.approx(0.3541, abs=5e-5)
    assert after["loss"] == pytest.approx(0.7263, abs=5e-5)


def test_simple_net_numerical_gradient_matches_the_book_and_the_formula():
    W = np.array([[0.47355232, 0.9977393, 0.84668094], [0.85557411, 0.03563661, 0.69422093]])
    loss, dW = forward.simple_net_gradient(W)
    # The book's printout for this W.
    np.testing.assert_allclose(
        dW, [[0.21924763, 0.14356247, -0.36281009], [0.32887144, 0.2153437, -0.54421514]], atol=1e-6
    )
    # Analytic: dW = outer(x, softmax(x @ W) - t).
    x, t = np.array([0.6, 0.9]), np.array([0, 0, 1])
    y = np.exp(x @ W) / np.exp(x @ W).sum()
    np.testing.assert_allclose(dW, np.outer(x, y - t), atol=1e-6)
    assert loss == pytest.approx(0.9280682857864075, rel=1e-6)
