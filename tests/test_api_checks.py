"""The public API's checks at its door: each case below was accepted, or failed deep inside NumPy, before.

Every bad value gets a ValueError or TypeError whose message names the
argument; a value the code can handle gets the right result.
"""

import math

import numpy as np
import pytest

from nnscratch import SGD, Adam, BatchNorm, Elu, LeakyRelu, Relu, SoftmaxClassifier, SoftmaxWithLoss, mlp
from nnscratch.layers import Affine, Dropout, Maxout, MSELoss
from nnscratch.train import Trainer
from nnscratch.validation import NONNEGATIVE, POSITIVE, Interval, labels_to_indices

NOT_FINITE = [math.nan, math.inf, -math.inf, np.float32("inf"), np.float64("nan")]


@pytest.mark.parametrize("value", NOT_FINITE, ids=repr)
@pytest.mark.parametrize("interval", [POSITIVE, NONNEGATIVE, Interval(None, 5), Interval(-1, None)], ids=str)
def test_interval_refuses_nan_and_inf(interval, value):
    assert value not in interval
    with pytest.raises(ValueError, match=r"^lr must be a finite number"):
        interval.check(value, "lr")


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: SGD(lr=math.inf), "lr"),
        (lambda: Adam(lr=math.inf), "lr"),
        (lambda: SGD(lr=0.1, weight_decay=math.inf), "weight_decay"),
        (lambda: SoftmaxClassifier(2, 3, reg=math.inf), "reg"),
        (lambda: mlp(2, [3], 2, reg=math.nan), "reg"),
        (lambda: BatchNorm(np.ones(3), np.zeros(3), eps=-1), "eps"),
        (lambda: BatchNorm(np.ones(3), np.zeros(3), eps=0), "eps"),
        (lambda: BatchNorm(np.ones(3), np.zeros(3), eps=math.nan), "eps"),
        (lambda: BatchNorm(np.ones(3), np.zeros(3), momentum=math.inf), "momentum"),
        (lambda: BatchNorm(np.ones(3), np.zeros(3), momentum=1.5), "momentum"),
        (lambda: LeakyRelu(alpha=math.nan), "alpha"),
        (lambda: Elu(alpha=math.inf), "alpha"),
        (lambda: LeakyRelu(alpha="0.1"), "alpha"),
    ],
)
def test_hyperparameters_out_of_range_are_refused(make, name):
    with pytest.raises((ValueError, TypeError), match=rf"^{name} must be"):
        make()


def layer_inputs():
    rng = np.random.default_rng(0)
    return [
        Relu(),
        LeakyRelu(),
        Elu(),
        Affine(rng.normal(size=(2, 3)), np.zeros(3)),
        Maxout(rng.normal(size=(2, 2, 3)), np.zeros((2, 3))),
        BatchNorm(np.ones(2), np.zeros(2)),
        Dropout(0.5, seed=0),
    ]


@pytest.mark.parametrize("layer", layer_inputs(), ids=lambda layer: type(layer).__name__)
@pytest.mark.parametrize(
    "x",
    [np.array([[1, "a"]], dtype=object), np.array([[1j, 2]]), np.array([["a", "b"]]), None],
    ids=["object", "complex", "strings", "None"],
)
def test_layer_forward_refuses_what_is_not_numbers(layer, x):
    with pytest.raises(TypeError, match=r"^x must be a numeric array"):
        layer.forward(x)


@pytest.mark.parametrize("layer", layer_inputs()[:3], ids=lambda layer: type(layer).__name__)
def test_activation_layers_take_nested_lists(layer):
    np.testing.assert_allclose(layer.forward([[1.0, 2.0]]), [[1.0, 2.0]])


@pytest.mark.parametrize("loss", [SoftmaxWithLoss(), MSELoss()], ids=lambda loss: type(loss).__name__)
def test_loss_layers_refuse_non_numeric_scores_and_targets(loss):
    with pytest.raises(TypeError, match=r"must be a numeric array"):
        loss.forward(np.array([["a", "b"]]), np.array([0]))
    with pytest.raises((TypeError, ValueError), match=r"^t "):
        loss.forward(np.zeros((1, 2)), np.array([[np.nan, 1.0]]))


@pytest.mark.parametrize(
    "t",
    [np.zeros((2, 3)), np.array([[1.0, 1.0, -1.0], [1.0, 0, 0]]), np.array([[0.5, 0.2, 0.2], [1.0, 0, 0]])],
    ids=["all zero", "negative", "summing to 0.9"],
)
def test_one_hot_rows_that_are_no_distribution_are_refused(t):
    with pytest.raises(ValueError, match="each row of one-hot t must be non-negative and sum to 1"):
        labels_to_indices(t, 2, 3)
    with pytest.raises(ValueError, match="each row of one-hot t must be non-negative and sum to 1"):
        SoftmaxWithLoss().forward(np.zeros((2, 3)), t)
    x = np.zeros((2, 4))
    with pytest.raises(ValueError, match="each row of one-hot t must"):
        Trainer(mlp(4, [3], 3, seed=0), SGD(0.1), progress="none").fit(x, t, 1)
    with pytest.raises(ValueError, match="each row of one-hot t_val must"):
        Trainer(mlp(4, [3], 3, seed=0), SGD(0.1), progress="none").fit(x, [0, 1], 1, validation_data=(x, t))


@pytest.mark.parametrize(
    ("validation_data", "message"),
    [
        ((np.zeros((2, 4)),), "validation_data must be a pair (x, t), got a tuple of length 1"),
        (np.zeros((2, 4)), "validation_data must be a pair (x, t), got ndarray"),
        ((np.zeros((2, 4)), [0, 1], [0, 1]), "validation_data must be a pair (x, t), got a tuple of length 3"),
    ],
)
def test_validation_data_must_be_a_pair(validation_data, message):
    trainer = Trainer(mlp(4, [3], 2, seed=0), SGD(0.1), progress="none")
    with pytest.raises(TypeError) as info:
        trainer.fit(np.zeros((2, 4)), [0, 1], 1, validation_data=validation_data)
    assert str(info.value) == message


def test_fit_on_no_rows_is_a_clear_error():
    trainer = Trainer(mlp(4, [3], 2, seed=0), SGD(0.1), progress="none")
    with pytest.raises(ValueError, match=r"x must have shape .* with N >= 1, got \(0, 4\)"):
        trainer.fit(np.zeros((0, 4)), np.zeros(0, dtype=int), 1)


def test_predict_on_no_rows_is_an_empty_result():
    assert mlp(4, [3], 2, seed=0).predict(np.zeros((0, 4))).shape == (0, 2)


def test_float32_predict_refuses_what_float32_cannot_hold():
    model = mlp(2, [3], 2, seed=0, dtype=np.float32)
    with pytest.raises(ValueError, match=r"x holds 1 value\(s\) too large for the model's dtype float32"):
        model.predict([[1e39, 0.0]])
    assert np.isfinite(mlp(2, [3], 2, seed=0, dtype=np.float64).predict([[1e39, 0.0]])).all()
    with pytest.raises(ValueError, match=r"x contains 1 NaN or infinite value"):
        model.predict([[np.nan, 0.0]])


def test_a_batch_size_beyond_the_data_allocates_only_the_data():
    x = np.random.default_rng(0).normal(size=(4, 3))
    history = Trainer(mlp(3, [2], 2, seed=0), SGD(0.1), batch_size=10**12, progress="none").fit(x, [0, 1, 0, 1], 2)
    assert len(history) == 2


class TestEstimator:
    @staticmethod
    def data():
        X = np.random.default_rng(0).normal(size=(30, 3))
        return X, np.arange(30) % 3

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"n_iter_no_change": 0}, "n_iter_no_change must be a positive integer, got 0"),
            ({"n_iter_no_change": 2.5}, "n_iter_no_change must be a positive integer, got 2.5"),
            ({"n_iter_no_change": None}, "n_iter_no_change must be a positive integer, got None"),
            ({"tol": math.nan}, "tol must be a finite number >= 0, got nan"),
            ({"tol": math.inf}, "tol must be a finite number >= 0, got inf"),
            ({"alpha": math.inf}, "alpha must be a finite number >= 0, got inf"),
            ({"learning_rate_init": math.inf}, "learning_rate_init must be a finite number > 0"),
        ],
    )
    def test_parameters_are_checked(self, params, message):
        pytest.importorskip("sklearn")
        from nnscratch.sklearn import MLPClassifier

        with pytest.raises(ValueError) as info:
            MLPClassifier(max_iter=2, **params).fit(*self.data())
        assert str(info.value).startswith(message)

    def test_partial_fit_compares_classes_as_sets(self):
        pytest.importorskip("sklearn")
        from nnscratch.sklearn import MLPClassifier

        X, y = self.data()
        model = MLPClassifier(hidden_layer_sizes=(4,), random_state=0).partial_fit(X, y, classes=[0, 1, 2])
        model.partial_fit(X, y, classes=[2, 0, 1])  # the same three classes
        assert model.classes_.tolist() == [0, 1, 2] and model.n_iter_ == 2
        with pytest.raises(ValueError, match=r"classes=\[0, 1, 3\] differs from the first call's"):
            model.partial_fit(X, y, classes=[0, 1, 3])


def test_batchnorm_backward_after_an_evaluation_forward():
    """Found by tests/test_hostile_api.py: backward after an eval-mode forward raised AttributeError."""
    from nnscratch.numgrad import numerical_gradient

    rng = np.random.default_rng(0)
    layer = BatchNorm(rng.normal(size=3), rng.normal(size=3), running_mean=rng.normal(size=3), running_var=np.ones(3))
    x, dout = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    layer.eval().forward(x)
    dx = layer.backward(dout)
    expected = numerical_gradient(lambda _: float((layer.forward(x) * dout).sum()), x)
    np.testing.assert_allclose(dx, expected, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(layer.dgamma, (dout * (x - layer.running_mean) / np.sqrt(1 + layer.eps)).sum(axis=0))


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"hidden_sizes": 3}, TypeError, "hidden_sizes must be a list of positive integers, got 3"),
        ({"dtype": "foo"}, TypeError, "dtype must be a floating-point dtype such as 'float32', got 'foo'"),
        ({"dtype": "int64"}, TypeError, "dtype must be a floating-point dtype such as 'float32', got int64"),
        ({"seed": -1}, ValueError, "seed must be None, an integer >= 0 or a numpy Generator, got -1"),
        ({"seed": "a"}, TypeError, "seed must be None, an integer >= 0 or a numpy Generator, got 'a'"),
        ({"dropout": math.nan}, ValueError, "dropout must be a finite number in [0, 1), got nan"),
        ({"input_size": 2**70}, ValueError, "mlp with sizes [1180591620717411303424, 3, 2] needs"),
        ({"hidden_sizes": [10**6, 10**6]}, ValueError, "mlp with sizes [2, 1000000, 1000000, 2] needs"),
    ],
)
def test_mlp_arguments_are_checked(arguments, error, message):
    """Found by tests/test_hostile_api.py: NumPy's errors, which name no argument, came through before."""
    with pytest.raises(error) as info:
        mlp(**{"input_size": 2, "hidden_sizes": [3], "output_size": 2, **arguments})
    assert str(info.value).startswith(message)


def test_estimator_input_errors_name_x_and_y():
    pytest.importorskip("sklearn")
    from nnscratch.sklearn import MLPClassifier

    with pytest.raises(ValueError, match=r"^X and y: Found input variables with inconsistent numbers of samples"):
        MLPClassifier(max_iter=1).fit(np.zeros((4, 2)), [0, 1])


@pytest.mark.parametrize("seed", [-1, "a", 1.5])
def test_trainer_seed_is_checked(seed):
    with pytest.raises((TypeError, ValueError), match=r"^seed must be None, an integer >= 0 or a numpy Generator"):
        Trainer(mlp(2, [3], 2), SGD(0.1), seed=seed)


def test_estimator_batch_size_is_clipped_to_the_data():
    """As in scikit-learn: a batch larger than the data set is the data set (and reg = alpha / N)."""
    pytest.importorskip("sklearn")
    from nnscratch.sklearn import MLPClassifier

    X, y = TestEstimator.data()
    model = MLPClassifier(hidden_layer_sizes=(4,), batch_size=10**12, alpha=0.3, max_iter=2).fit(X, y)
    assert model.model_.reg == pytest.approx(0.3 / len(X))


def test_fit_never_ends_with_weights_that_are_not_finite():
    """A last update that overflows the weights, with every loss finite, left inf weights and NaN predictions."""
    from nnscratch.train.trainer import DivergenceError

    x, t = np.array([[100.0, 0.0], [0.0, 100.0]]), np.array([1, 0])
    trainer = Trainer(mlp(2, [4], 2, seed=0, dtype="float64"), SGD(1e308), batch_size=2, progress="none", seed=0)
    with pytest.raises(DivergenceError, match=r"became NaN or infinite in the last step of epoch 1; try a smaller"):
        trainer.fit(x, t, 1)


def test_estimator_probabilities_are_never_nan_from_finite_input():
    """Found by tests/test_hostile_api.py: X of 1e103 gave scores of inf and probabilities of NaN."""
    pytest.importorskip("sklearn")
    from nnscratch.sklearn import MLPClassifier

    model = MLPClassifier(hidden_layer_sizes=(4,), max_iter=1, random_state=0).fit(np.eye(2), [0, 1])
    with pytest.raises(ValueError, match=r"^X gives scores beyond float64's range"):
        model.predict_proba([[1e308, 1e308]])


def test_estimator_early_stopping_on_too_few_samples_names_validation_fraction():
    """Found by tests/test_hostile_api.py: scikit-learn's split error named no parameter."""
    pytest.importorskip("sklearn")
    from nnscratch.sklearn import MLPClassifier

    model = MLPClassifier(early_stopping=True, validation_fraction=0.2, max_iter=1)
    with pytest.raises(ValueError, match=r"^early_stopping: validation_fraction=0.2 of 4 samples cannot hold"):
        model.fit(np.eye(4), [0, 1, 0, 1])


def test_dropout_scales_integer_input_without_truncation():
    """Found by tests/test_hostile_api.py: on int input the mask 1 / (1 - 0.3) became 1."""
    out = Dropout(0.3, seed=0).forward(np.full((4, 5), 7))
    assert set(np.unique(out).tolist()) <= {0.0, 10.0} and out.max() == pytest.approx(10.0)


def test_integer_scores_give_a_float64_loss():
    """Found by tests/test_hostile_api.py: int8 scores gave a float16 loss (0.6934 for log 2)."""
    assert SoftmaxWithLoss().forward(np.zeros((1, 2), dtype=np.int8), [0]) == pytest.approx(math.log(2), rel=1e-12)
    assert MSELoss().forward(np.array([[-128, 0]], dtype=np.int8), [1]) == pytest.approx((128**2 + 1) / 2)
