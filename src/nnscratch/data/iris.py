"""The Iris data set, shipped with the package (150 rows, 4 features, 3 classes)."""

from importlib import resources

import numpy as np

from nnscratch.validation import Interval

CLASSES = ("setosa", "versicolor", "virginica")
FEATURES = ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")


def load_iris():
    """Load Iris from the copy in the package (source: Fisher, 1936, via the UCI repository).

    Returns
    -------
    x : ndarray of float64, shape (150, 4)
        Sepal length, sepal width, petal length, petal width, in cm.
    t : ndarray of int64, shape (150,)
        0 setosa, 1 versicolor, 2 virginica (50 each, in that order).
    """
    text = resources.files("nnscratch.data").joinpath("iris.csv").read_text()
    rows = [line.split(",") for line in text.splitlines() if line and not line.startswith(("#", "sepal"))]
    x = np.array([[float(v) for v in row[:4]] for row in rows])
    t = np.array([CLASSES.index(row[4]) for row in rows], dtype=np.int64)
    return x, t


def stratified_split(t, test_fraction=0.2, seed=None):
    """Indices ``(train, test)`` that keep each class's share in both parts.

    Parameters
    ----------
    t : ndarray of int, shape (N,)
    test_fraction : float, default=0.2
    seed : int, optional

    Returns
    -------
    train_index, test_index : ndarray of int64
    """
    Interval(0, 1, closed="neither").check(test_fraction, "test_fraction")
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(t):
        members = rng.permutation(np.flatnonzero(t == label))
        n_test = max(1, round(len(members) * test_fraction))
        test.append(members[:n_test])
        train.append(members[n_test:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))
