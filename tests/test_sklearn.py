"""nnscratch.sklearn.MLPClassifier: scikit-learn's own estimator checks, pipelines, and the digits comparison."""

import time

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.neural_network import MLPClassifier as SklearnMLP  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from nnscratch.sklearn import MLPClassifier  # noqa: E402


@parametrize_with_checks([MLPClassifier(hidden_layer_sizes=(20,), max_iter=100, random_state=0)])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


def test_labels_of_any_type_and_probabilities(rng):
    X = rng.standard_normal((90, 3))
    y = np.array(["cat", "dog", "eel"])[(X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5).astype(int)]
    clf = MLPClassifier(hidden_layer_sizes=(16,), learning_rate_init=0.01, random_state=0).fit(X, y)
    assert list(clf.classes_) == ["cat", "dog", "eel"]
    proba = clf.predict_proba(X)
    assert proba.shape == (90, 3) and np.allclose(proba.sum(axis=1), 1)
    assert set(clf.predict(X)) <= {"cat", "dog", "eel"} and clf.score(X, y) > 0.9
    assert len(clf.loss_curve_) == clf.n_iter_ and clf.loss_curve_[-1] < clf.loss_curve_[0]


def test_partial_fit_continues_training(rng):
    X = rng.standard_normal((200, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    clf = MLPClassifier(hidden_layer_sizes=(16,), learning_rate_init=0.01, random_state=0)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, y)
    for _ in range(30):
        clf.partial_fit(X, y, classes=[0, 1])
    assert clf.n_iter_ == 30 and len(clf.loss_curve_) == 30 and clf.score(X, y) > 0.9
    with pytest.raises(ValueError, match="not in classes"):
        clf.partial_fit(X, y + 5)


def test_early_stopping_keeps_the_best_validation_weights(rng):
    X = rng.standard_normal((300, 5))
    y = (X[:, 0] > 0).astype(int)
    clf = MLPClassifier(
        hidden_layer_sizes=(16,),
        early_stopping=True,
        n_iter_no_change=3,
        max_iter=300,
        learning_rate_init=0.05,
        random_state=0,
    ).fit(X, y)
    assert clf.n_iter_ < 300 and len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"solver": "lbfgs"}, "solver must be one of"),
        ({"hidden_layer_sizes": (10, 0)}, "hidden_layer_sizes must be positive integers"),
        ({"learning_rate_init": 0}, "learning_rate_init must be > 0"),
        ({"batch_size": 0}, "batch_size must be 'auto' or a positive integer"),
    ],
)
def test_bad_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        MLPClassifier(**params).fit(np.zeros((4, 2)), [0, 1, 0, 1])


def test_pipeline_grid_search_and_cross_validation():
    X, y = load_digits(return_X_y=True)
    X, y = X[:400], y[:400]
    pipe = make_pipeline(StandardScaler(), MLPClassifier(max_iter=50, learning_rate_init=0.01, random_state=0))
    search = GridSearchCV(pipe, {"mlpclassifier__hidden_layer_sizes": [(16,), (64,)]}, cv=3).fit(X, y)
    assert search.best_params_["mlpclassifier__hidden_layer_sizes"] in [(16,), (64,)]
    assert search.best_score_ > 0.85
    assert cross_val_score(pipe, X, y, cv=3).mean() > 0.85


def test_digits_cross_validation_matches_scikit_learn(capsys):
    """5-fold CV accuracy within 0.01 of scikit-learn's MLPClassifier with the same settings."""
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    settings = {
        "hidden_layer_sizes": (100,),
        "solver": "adam",
        "alpha": 1e-4,
        "learning_rate_init": 1e-3,
        "max_iter": 200,
        "random_state": 0,
    }
    results = {}
    for name, cls in (("nnscratch", MLPClassifier), ("scikit-learn", SklearnMLP)):
        start = time.perf_counter()
        scores = cross_val_score(cls(**settings), X, y, cv=5)
        results[name] = (scores.mean(), time.perf_counter() - start)
    with capsys.disabled():
        for name, (accuracy, seconds) in results.items():
            print(f"\ndigits 5-fold CV, {name}: accuracy {accuracy:.4f}, fit time {seconds:.1f} s")
    assert abs(results["nnscratch"][0] - results["scikit-learn"][0]) <= 0.01
