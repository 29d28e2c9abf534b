"""Property-based tests over layers, loss layers, ``mlp``, ``Trainer.fit`` and the estimator.

As in ``test_hostile_inputs.py``: every hostile input gets a TypeError or
ValueError naming the argument (``hostile.outcome`` judges), or a correct
result, recomputed here in float64; finite input of moderate size never
gives NaN. Each example runs under Hypothesis's deadline, so a hang fails.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from hostile import SETTINGS, hostile, labels_for, mostly, outcome, tolerance
from nnscratch import SGD, BatchNorm, Elu, LeakyRelu, Relu, Sigmoid, SoftmaxWithLoss, Tanh, mlp
from nnscratch.layers import ACTIVATIONS, Affine, Dropout, Maxout, MSELoss
from nnscratch.train import Trainer
from nnscratch.train.trainer import DivergenceError

try:  # imported here, not in the test: the first import takes longer than Hypothesis's deadline
    from nnscratch.sklearn import MLPClassifier
except ImportError:
    MLPClassifier = None

D = 3  # the layers' input width


def moderate(x, bound=1e100):
    """``x`` as float64 if it is a numeric array of finite values below ``bound`` in size, else None."""
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "iuf":
        return None
    x64 = x.astype(np.float64)
    return x64 if np.isfinite(x64).all() and (x64.size == 0 or np.abs(x64).max() < bound) else None


def batches(width, low=-1e6, high=1e6, rows=(1, 6)):
    """Float batches (N, width) of moderate values."""
    return hnp.arrays(
        st.sampled_from([np.float64, np.float32]),
        st.tuples(st.integers(*rows), st.just(width)),
        elements=st.floats(low, high, width=32),
    )


def layers():
    rng = np.random.default_rng(0)
    return {
        "Affine": Affine(rng.normal(size=(D, 2)), rng.normal(size=2)),
        "Maxout": Maxout(rng.normal(size=(2, D, 2)), rng.normal(size=(2, 2))),
        "BatchNorm": BatchNorm(rng.normal(size=D), rng.normal(size=D)),
        "Dropout": Dropout(0.3, seed=0),
        "Relu": Relu(),
        "LeakyRelu": LeakyRelu(0.1),
        "Elu": Elu(1.0),
        "Sigmoid": Sigmoid(),
        "Tanh": Tanh(),
    }


LAYERS = layers()


def reference(name, layer, x64, out):
    """The layer's formula in float64 (Dropout: each output is 0 or x / (1 - ratio))."""
    with np.errstate(all="ignore"):
        if name == "Affine":
            return x64.reshape(len(x64), D) @ layer.W + layer.b
        if name == "Maxout":
            return np.max(np.einsum("nd,kdm->nkm", x64.reshape(len(x64), D), layer.W) + layer.b, axis=1)
        if name == "BatchNorm":
            xhat = (x64 - x64.mean(axis=0)) / np.sqrt(x64.var(axis=0) + layer.eps)
            return layer.gamma * xhat + layer.beta
        if name == "Dropout":
            return np.where(out == 0, 0.0, x64 / (1 - layer.ratio))
        return {
            "Relu": lambda: np.maximum(x64, 0),
            "LeakyRelu": lambda: np.where(x64 > 0, x64, 0.1 * x64),
            "Elu": lambda: np.where(x64 > 0, x64, np.expm1(np.minimum(x64, 0))),
            "Sigmoid": lambda: 1 / (1 + np.exp(-x64)),
            "Tanh": lambda: np.tanh(x64),
        }[name]()


@settings(max_examples=350, **SETTINGS)
@given(name=st.sampled_from(sorted(LAYERS)), x=mostly(batches(D), hostile), training=st.booleans())
def test_layer_forward_and_backward(name, x, training):
    layer = layers()[name].train(training)  # fresh: BatchNorm and Dropout keep state between calls
    with np.errstate(all="ignore"):  # overflow to +-inf is a correct result for huge input
        ok, out = outcome("layers", lambda: layer.forward(x), ["x", name])
    x64 = moderate(x)
    if not ok or x64 is None:
        return
    expected = reference(name, layer, x64, out) if training or name not in ("BatchNorm", "Dropout") else None
    if name == "BatchNorm" and not training:
        expected = layer.gamma * (x64 - layer.running_mean) / np.sqrt(layer.running_var + layer.eps) + layer.beta
    if name == "Dropout" and not training:
        expected = x64
    assert not np.isnan(out).any(), f"NaN from finite input {x!r}"
    if name == "BatchNorm" and training and x.dtype != np.float64 and _spread_below_rounding(x64):
        return  # x - mean is all rounding error in float32: no formula recovers the float64 value
    rtol = max(tolerance(np.asarray(out).dtype), tolerance(x.dtype) if x.dtype.kind == "f" else 0) * 5
    np.testing.assert_allclose(np.asarray(out, dtype=np.float64), expected, rtol=rtol, atol=rtol)
    dx = layer.backward(np.ones_like(out))
    assert dx is None or (dx.shape == np.shape(x) and not np.isnan(dx).any())


def _spread_below_rounding(x64):
    """True when a column's spread is within float32 rounding of its size (for BatchNorm's x - mean)."""
    return bool((x64.std(axis=0) <= 1e-4 * np.abs(x64).max(axis=0) + 1e-30).any())


def log_softmax(scores):
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@settings(max_examples=250, **SETTINGS)
@given(
    data=st.data(), loss_name=st.sampled_from(["SoftmaxWithLoss", "MSELoss"]), y=mostly(batches(3, -50, 50), hostile)
)
def test_loss_layers(data, loss_name, y):
    t = data.draw(labels_for(y)) if isinstance(y, np.ndarray) and y.ndim in (1, 2) else data.draw(hostile)
    loss = SoftmaxWithLoss() if loss_name == "SoftmaxWithLoss" else MSELoss()
    with np.errstate(all="ignore"):
        ok, value = outcome("loss layers", lambda: loss.forward(y, t), ["scores", "y", "t"])
    y64 = moderate(y, 1e15)  # beyond, (y - t) ** 2 may overflow float32 to inf: a correct IEEE result
    if not ok or y64 is None:
        return
    t_arr = np.asarray(t)
    target = t_arr.astype(np.float64) if t_arr.ndim == 2 else np.eye(y64.shape[1])[t_arr.astype(np.int64)]
    if loss_name == "SoftmaxWithLoss":
        expected = -(target * log_softmax(y64)).sum() / len(y64)
    else:
        expected = ((y64 - target) ** 2).mean()
    dtypes = [np.asarray(a).dtype for a in (y, t) if np.asarray(a).dtype.kind == "f"]
    step = max([tolerance(dtype) for dtype in dtypes] + [1e-9]) * 10  # float16 in, float16-precise loss out
    assert math.isfinite(value) and value == pytest.approx(expected, rel=step, abs=step * (1 + np.abs(y64).max()))
    dx = loss.backward()
    assert dx.shape == y.shape and np.isfinite(dx).all()


def sometimes_bad(good, *bad):
    """A pair of strategies: ``good`` values, and one of the ``bad`` values."""
    return good, st.sampled_from(bad)


@st.composite
def arguments(draw, table):
    """Keyword arguments from ``table`` (name -> (good, bad)): all good, or one or two of them bad.

    Bad values one at a time check that each gets its own clear error; all bad
    at once would only ever test the first check.
    """
    values = {name: draw(good) for name, (good, _) in table.items()}
    for name in draw(st.lists(st.sampled_from(sorted(table)), max_size=2, unique=True)):
        values[name] = draw(table[name][1])
    return values


sizes = sometimes_bad(st.integers(1, 4), 0, -2, 2.5, "3", None, True, 2**70)
mlp_arguments = arguments(
    {
        "input_size": sizes,
        "hidden_sizes": sometimes_bad(st.lists(st.integers(1, 4), max_size=2), 3, "4", [0], [2, -1], [1.5], None),
        "output_size": sizes,
        "activation": sometimes_bad(st.sampled_from(sorted(ACTIVATIONS)), "softplus", None, 1),
        "weight_init": sometimes_bad(st.sampled_from(["he", "xavier", "std"]), "zeros", None),
        "dtype": sometimes_bad(st.sampled_from(["float32", "float64"]), "int64", "complex128", "foo", object, bool),
        "seed": sometimes_bad(st.integers(0, 2**32), -1, "a", 1.5),
        "batchnorm": (st.booleans(), st.booleans()),
        "dropout": sometimes_bad(st.floats(0, 0.9), -0.1, 1.0, math.nan, math.inf, "0.5"),
        "reg": sometimes_bad(st.floats(0, 1e-2), -1.0, math.nan, math.inf, "x"),
    }
)


@settings(max_examples=250, **SETTINGS)
@given(arguments=mlp_arguments, data=st.data())
def test_mlp_and_its_predictions(arguments, data):
    ok, model = outcome("mlp", lambda: mlp(**arguments), [*arguments, "hidden_sizes entries"])
    if not ok:
        return
    x = data.draw(mostly(batches(arguments["input_size"], -1e3, 1e3), hostile))
    with np.errstate(all="ignore"):
        ok, scores = outcome("mlp predict", lambda: model.predict(x), ["x", "Affine"])
    if ok and moderate(x, 1e4) is not None:
        assert scores.shape == (len(x), arguments["output_size"]) and np.isfinite(scores).all()


def labelled(draw, width=D, classes=2):
    """A valid (x, t) pair of N rows, or a hostile one."""
    x = draw(mostly(batches(width, -10, 10, rows=(1, 8)), hostile))
    n = len(x) if isinstance(x, np.ndarray) and x.ndim >= 1 else 3
    t = draw(mostly(hnp.arrays(np.int64, (n,), elements=st.integers(0, classes - 1)), hostile))
    return x, t


@st.composite
def fits(draw):
    x, t = labelled(draw)
    validation = draw(mostly(st.sampled_from(["none", "pair"]), st.sampled_from(["one", "array", "three", "hostile"])))
    x_val, t_val = labelled(draw)
    validation_data = {
        "none": None,
        "pair": (x_val, t_val),
        "one": (x_val,),
        "array": x_val,
        "three": (x_val, t_val, t_val),
        "hostile": draw(hostile),
    }[validation]
    options = draw(
        arguments(
            {
                "epochs": sometimes_bad(st.integers(1, 2), 0, -1, 1.5, "2", None, True),
                "batch_size": sometimes_bad(st.one_of(st.integers(1, 10), st.just(10**12)), 0, -5, 2.0, "10", None),
            }
        )
    )
    return x, t, validation_data, options["epochs"], options["batch_size"]


@settings(max_examples=250, **SETTINGS)
@given(case=fits())
def test_trainer_fit(case):
    x, t, validation_data, epochs, batch_size = case
    names = ["x", "t", "epochs", "batch_size", "validation_data", "x_val", "t_val", "Affine", "learning rate"]

    def fit():
        trainer = Trainer(mlp(D, [4], 2, seed=0, dtype="float64"), SGD(0.1), batch_size=batch_size, progress="none")
        return trainer.fit(x, t, epochs, validation_data=validation_data)

    ok, history = outcome("Trainer.fit", fit, names, errors=(TypeError, ValueError, DivergenceError))
    if ok:
        assert len(history) == epochs
        assert all(math.isfinite(record["loss"]) for record in history)
        assert all(0 <= record["train_accuracy"] <= 1 for record in history)


estimator_parameters = arguments(
    {
        "hidden_layer_sizes": sometimes_bad(st.sampled_from([(4,), (3, 2), 5]), (0,), (-1,), "4", (2.5,)),
        "alpha": sometimes_bad(st.floats(0, 1e-2), -1.0, math.nan, math.inf, "a"),
        "tol": sometimes_bad(st.floats(0, 1e-2), -1.0, math.nan, math.inf),
        "n_iter_no_change": sometimes_bad(st.integers(1, 5), 0, -1, 2.5, None),
        "learning_rate_init": sometimes_bad(st.floats(1e-4, 0.1), 0.0, -1.0, math.nan, math.inf),
        "max_iter": sometimes_bad(st.integers(1, 3), 0, 1.5, None),
        "batch_size": sometimes_bad(st.sampled_from(["auto", 4, 10**12]), 0, "big", 2.5),
        "solver": sometimes_bad(st.sampled_from(["adam", "sgd"]), "lbfgs", None),
        "early_stopping": (st.booleans(), st.booleans()),
        "validation_fraction": sometimes_bad(st.floats(0.2, 0.5), 0.0, 1.0, math.nan),
    }
)


@settings(max_examples=120, **SETTINGS)
@given(parameters=estimator_parameters, data=st.data())
def test_estimator(parameters, data):
    if MLPClassifier is None:
        pytest.skip("needs scikit-learn")
    X, y = labelled(data.draw, width=2, classes=3)
    model = MLPClassifier(random_state=0, **parameters)
    with np.errstate(all="ignore"):
        ok, fitted = outcome(
            "MLPClassifier",
            lambda: model.fit(X, y),
            [*parameters, "X", "y", "learning rate"],
            errors=(TypeError, ValueError, DivergenceError),  # X of 1e103 diverges, and says so
        )
    if ok:
        probabilities = fitted.predict_proba(X)
        assert probabilities.shape == (len(X), len(fitted.classes_))
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-9)
