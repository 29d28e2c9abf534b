"""A user's mistake gets a ValueError/TypeError naming the argument, the expected and the received."""

import numpy as np
import pytest

from nnscratch import Affine, Sequential, SoftmaxWithLoss, TwoLayerNet, cross_entropy_error


@pytest.fixture
def net():
    return TwoLayerNet(6, 4, 3, seed=0)


def test_wrong_feature_count():
    layer = Affine(np.zeros((6, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"Affine expects 6 input features, got an array of shape \(3, 7\)"):
        layer.forward(np.zeros((3, 7)))


def test_wrong_feature_count_through_a_network(net):
    with pytest.raises(ValueError, match=r"expects 6 input features, got an array of shape \(2, 5\)"):
        net.predict(np.zeros((2, 5)))


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.array([0, 1, 3]), r"class indices in \[0, 2\], got values from 0 to 3"),
        (np.array([0, -1, 2]), r"class indices in \[0, 2\], got values from -1 to 2"),
        (np.array([0, 1]), "2 labels but the scores have 3 rows"),
        (np.zeros((3, 4)), "one-hot t must have 3 columns"),
        (np.zeros((2, 3)), "t has 2 rows but the scores have 3"),
    ],
)
def test_bad_labels(net, labels, message):
    x = np.zeros((3, 6))
    with pytest.raises(ValueError, match=message):
        net.loss(x, labels)


def test_non_integer_labels(net):
    with pytest.raises(TypeError, match="integer class indices"):
        net.accuracy(np.zeros((2, 6)), np.array([0.5, 1.0]))


@pytest.mark.parametrize("x", [np.array([["a"] * 6]), np.array([[object()] * 6], dtype=object)])
def test_non_numeric_input(net, x):
    with pytest.raises(TypeError, match="x must be a numeric array"):
        net.predict(x)


def test_nan_input(net):
    x = np.zeros((2, 6))
    x[1, 2] = np.nan
    with pytest.raises(ValueError, match="x contains 1 NaN or infinite"):
        net.predict(x)


@pytest.mark.parametrize(("value", "error"), [(0, ValueError), (-3, ValueError), (2.5, TypeError)])
def test_bad_hidden_size(value, error):
    with pytest.raises(error, match=f"hidden_size must be a positive integer, got {value}"):
        TwoLayerNet(4, value, 3)


def test_unknown_activation():
    with pytest.raises(ValueError, match="activation must be one of 'relu', 'sigmoid'.*got 'softplus'"):
        TwoLayerNet(4, 5, 3, activation="softplus")


def test_affine_bias_shape_mismatch():
    with pytest.raises(ValueError, match=r"b must have shape \(3,\) to match W of shape \(2, 3\), got \(2,\)"):
        Affine(np.zeros((2, 3)), np.zeros(2))


def test_sequential_rejects_non_layers():
    with pytest.raises(TypeError, match="argument 1 is str"):
        Sequential(Affine(np.zeros((2, 3)), np.zeros(3)), "relu")


def test_loss_layer_rejects_1d_scores():
    with pytest.raises(ValueError, match=r"scores must be 2-D, got an array of shape \(3,\)"):
        SoftmaxWithLoss().forward(np.zeros(3), np.array([0]))


def test_cross_entropy_shape_mismatch():
    with pytest.raises(ValueError, match="one-hot t must have 3 columns"):
        cross_entropy_error(np.full((2, 3), 1 / 3), np.zeros((2, 4)))
