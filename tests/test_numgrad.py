"""Numerical differentiation and gradient descent: SPEC 1.1's numbers, exactly."""

import numpy as np
import pytest

from nnscratch import gradient_descent, numerical_diff, numerical_gradient
from nnscratch.lectures.calculus import descent_runs, function_1, function_2, numdiff_story


def test_central_difference_reproduces_the_lecture_digits():
    assert numerical_diff(function_1, 5) == 0.1999999999990898
    assert numerical_diff(function_1, 10) == 0.2999999999986347


def test_naive_forward_difference_with_tiny_h_rounds_to_zero():
    story = numdiff_story()
    assert story["naive"] == {5.0: 0.0, 10.0: 0.0}
    assert story["rounding"] is True  # 5 + 1e-50 == 5 in float64


def test_partial_derivatives_at_3_4():
    grad = numerical_gradient(function_2, np.array([3.0, 4.0]))
    assert grad.tolist() == [6.00000000000378, 7.999999999999119]


def test_numerical_gradient_of_integer_input_is_float_and_input_is_untouched():
    x = np.array([3, 4])
    grad = numerical_gradient(lambda v: float((v**2).sum()), x)
    assert grad.dtype == np.float64
    assert grad.tolist() == [6.00000000000378, 7.999999999999119]
    assert x.tolist() == [3, 4] and x.dtype.kind == "i"


def test_numerical_gradient_any_shape_restores_input_exactly(rng):
    x = rng.standard_normal((2, 3, 4))
    before = x.copy()
    grad = numerical_gradient(lambda v: float((v**3).sum()), x)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(grad, 3 * x**2, atol=2e-8)  # central-difference error is h^2 = 1e-8


def test_gradient_descent_end_point_and_path():
    x, history = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=20)
    # Each step multiplies x by (1 - 2 * 0.1) = 0.8, so x_20 = (-3, 4) * 0.8^20.
    np.testing.assert_allclose(x, [-0.0346, 0.0461], atol=5e-5)
    np.testing.assert_allclose(x, np.array([-3.0, 4.0]) * 0.8**20, rtol=1e-6)
    assert history.shape == (20, 2)
    np.testing.assert_array_equal(history[0], [-3.0, 4.0])


def test_gradient_descent_does_not_modify_init_x():
    init = np.array([-3.0, 4.0])
    gradient_descent(function_2, init, lr=0.1, step_num=5)
    assert init.tolist() == [-3.0, 4.0]


def test_too_large_and_too_small_learning_rates():
    runs = descent_runs()
    big, _ = runs[10.0]
    tiny, _ = runs[1e-10]
    assert np.abs(big).max() > 1e10  # diverges
    np.testing.assert_allclose(tiny, [-3.0, 4.0], atol=1e-7)  # barely moves


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_gradient_descent_rejects_bad_step_num(bad):
    with pytest.raises((ValueError, TypeError), match="step_num"):
        gradient_descent(function_2, np.array([1.0, 1.0]), step_num=bad)
