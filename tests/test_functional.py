"""Activations and losses: SPEC 1.1 numbers, stability, label forms, errors."""

import math

import numpy as np
import pytest

from nnscratch import (
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
