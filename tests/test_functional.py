"""Activations and losses: SPEC 1.1 numbers, stability, label forms, errors."""

import math

import numpy as np
import pytest

from nnscratch import (
    SoftmaxWithLoss,
    TwoLayerNet,
    cross_entropy_error,
    elu,
    leaky_relu,
    relu,
    sigmoid,
    softmax,
    step_function,
    sum_squared_error,
    tanh,
)


def test_step_and_relu():
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(step_function(x), [0, 0, 1])
    np.testing.assert_array_equal(relu(x), [0.0, 0.0, 2.0])


def test_sigmoid_of_one_is_0_7311_and_stable_at_1000():
    assert sigmoid(np.array(1.0)) == pytest.approx(0.7310585786300049)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no overflow warning either
        np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])


def test_tanh_leaky_relu_elu_formulas():
    x = np.array([-2.0, 3.0])
    np.testing.assert_allclose(tanh(x), [math.tanh(-2.0), math.tanh(3.0)])
    np.testing.assert_allclose(leaky_relu(x), [-0.2, 3.0])  # lecture slope 0.1
    np.testing.assert_allclose(leaky_relu(x, alpha=0.3), [-0.6, 3.0])
    np.testing.assert_allclose(elu(x, alpha=0.5), [0.5 * (math.exp(-2.0) - 1), 3.0])


def test_softmax_of_lecture_scores():
    # SPEC 1.5: softmax(3.2, 5.1, -1.7) = (0.13, 0.87, 0.00)
    np.testing.assert_allclose(softmax(np.array([3.2, 5.1, -1.7])), [0.13, 0.87, 0.00], atol=0.005)


def test_softmax_is_stable_for_large_scores_and_batched():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = softmax(np.array([[1000.0, 1000.0, -1000.0], [1.0, 2.0, 3.0]]))
    np.testing.assert_allclose(y[0], [0.5, 0.5, 0.0])
    np.testing.assert_allclose(y.sum(axis=1), [1.0, 1.0])
    np.testing.assert_allclose(y[1], np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum())


def test_sum_squared_error_is_half_the_squared_distance():
    y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    t = np.eye(10)[2]
    # 0.5 * (0.01 + 0.0025 + 0.16 + 0.0025 + 0.01 + 0.01) = 0.0975
    assert sum_squared_error(y, t) == pytest.approx(0.0975)


def test_cross_entropy_uses_natural_log_on_the_iris_probabilities():
    # SPEC 1.1: the lecture's base-10 0.15376 / 0.31541 are 0.3541 / 0.7263 in natural log.
    assert cross_entropy_error(np.array([0.0357, 0.2624, 0.7018]), 2) == pytest.approx(0.3541, abs=5e-5)
    assert cross_entropy_error(np.array([0.0246, 0.4917, 0.4837]), 2) == pytest.approx(0.7263, abs=5e-5)
    assert -math.log10(0.7018) == pytest.approx(0.15376, abs=5e-5)


def test_cross_entropy_label_forms_agree_and_average_over_the_batch():
    y = np.array([[0.1, 0.7, 0.2], [0.5, 0.25, 0.25]])
    t = np.array([1, 0])
    expected = -(math.log(0.7 + 1e-7) + math.log(0.5 + 1e-7)) / 2
    assert cross_entropy_error(y, t) == pytest.approx(expected)
    assert cross_entropy_error(y, np.eye(3)[t]) == pytest.approx(expected)
    assert cross_entropy_error(y[0], np.eye(3)[1]) == pytest.approx(-math.log(0.7 + 1e-7))
    assert cross_entropy_error(y[0], 1) == pytest.approx(-math.log(0.7 + 1e-7))


def test_cross_entropy_of_zero_probability_is_finite():
    assert cross_entropy_error(np.array([1.0, 0.0]), 1) == pytest.approx(-math.log(1e-7))


# ---- clear errors (issue 11) -----------------------------------------------------------------

ACTIVATIONS = [step_function, sigmoid, tanh, relu, leaky_relu, elu, softmax]


@pytest.mark.parametrize("function", ACTIVATIONS)
@pytest.mark.parametrize("x", [np.array(["a", "b"]), np.array([True, False]), np.array([1 + 2j]), [[1.0, 2.0], [3.0]]])
def test_activations_name_x_for_non_numeric_input(function, x):
    with pytest.raises(TypeError, match="x must be a numeric array"):
        function(x)


@pytest.mark.parametrize("function", [leaky_relu, elu])
@pytest.mark.parametrize(
    ("alpha", "error", "message"),
    [
        (float("nan"), ValueError, "alpha must be a finite number"),
        (float("inf"), ValueError, "alpha must be a finite number"),
        ("0.1", TypeError, "alpha must be a real number, got str '0.1'"),
        (True, TypeError, "alpha must be a real number, got bool"),
        (1e5, ValueError, "of at most 65504 in size for x of float16, got 100000.0"),
    ],
)
def test_activations_check_alpha(function, alpha, error, message):
    with pytest.raises(error, match=message):
        function(np.zeros(3, dtype=np.float16), alpha=alpha)


def test_unsigned_and_extreme_integers_are_computed_in_float():
    # -x of a uint64 wraps around: sigmoid(5) came out as 0, softmax of [1, 2] as NaN.
    assert sigmoid(np.array([5], dtype=np.uint64))[0] == pytest.approx(0.9933071490757153)
    np.testing.assert_allclose(softmax(np.array([1, 2], dtype=np.uint8)), softmax(np.array([1.0, 2.0])))
    extremes = np.array([np.iinfo(np.int64).min, np.iinfo(np.int64).max])
    np.testing.assert_array_equal(softmax(extremes), [0.0, 1.0])


def test_nan_is_propagated_by_the_activations_and_refused_by_the_losses():
    assert np.isnan(sigmoid(np.array([np.nan])))[0] and np.isnan(softmax(np.array([0.0, np.nan]))).all()
    with pytest.raises(ValueError, match="y contains 1 NaN or infinite"):
        cross_entropy_error(np.array([0.5, np.nan]), 0)


@pytest.mark.parametrize(
    ("x", "message"),
    [(np.array(1.0), r"x must be 1-D or 2-D, got an array of shape \(\)"), (np.zeros((2, 0)), "at least one class")],
)
def test_softmax_refuses_what_has_no_distribution(x, message):
    with pytest.raises(ValueError, match=message):
        softmax(x)
    assert softmax(np.zeros((0, 3))).shape == (0, 3)  # no rows: no distributions, and none asked for


@pytest.mark.parametrize(
    ("t", "message"),
    [
        (np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]), "row 1 summing to 0"),
        (np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]]), "got a minimum of -1"),
        (np.array([[2.0, -1.0, 0.0], [0.0, 0.0, 1.0]]), "got a minimum of -1"),  # sums to 1, still not one-hot
    ],
)
def test_cross_entropy_refuses_one_hot_rows_that_name_no_class(t, message):
    y = np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match=f"each row of one-hot t must be non-negative and sum to 1.*{message}"):
        cross_entropy_error(y, t)
    with pytest.raises(ValueError, match="each row of one-hot t"):
        SoftmaxWithLoss().forward(np.zeros((2, 3)), t)
    soft = np.array([[0.1, 0.8, 0.1], [0.0, 0.5, 0.5]])  # soft labels stay allowed
    assert cross_entropy_error(y, soft) == pytest.approx(-math.log(1 / 3 + 1e-7))


@pytest.mark.parametrize(
    ("y", "t", "message"),
    [
        (np.zeros((0, 3)), np.zeros(0, dtype=int), r"y must hold at least one sample and one class, got .*\(0, 3\)"),
        (np.array([0.5, -0.1, 0.6]), 0, "y must hold probabilities"),
        (np.array([0.5, 0.5]), np.eye(2), r"t \(for a 1-D y: a class index or a one-hot vector\) must be 0-D or 1-D"),
    ],
)
def test_cross_entropy_refuses_empty_negative_and_misshapen_input(y, t, message):
    with pytest.raises(ValueError, match=message):
        cross_entropy_error(y, t)


def test_an_empty_batch_passes_the_layers_but_not_the_loss():
    net = TwoLayerNet(6, 4, 3, seed=0)
    assert net.predict(np.zeros((0, 6))).shape == (0, 3)  # NumPy's reshape error before
    with pytest.raises(ValueError, match=r"scores must hold at least one sample and one class, got .*\(0, 3\)"):
        net.loss(np.zeros((0, 6)), np.zeros(0, dtype=int))
