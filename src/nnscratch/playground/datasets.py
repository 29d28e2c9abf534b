"""The page's toy data sets on the plane [-6, 6]^2, their train/test split, and the input features.

Everything random draws from the ``numpy.random.Generator`` it is given, so a seed
reproduces the page's points exactly (the exported script relies on this).
"""

import numpy as np

from nnscratch.data.toy import make_spiral
from nnscratch.playground.config import FEATURES

DOMAIN = 6.0  # the plane shown is [-DOMAIN, DOMAIN]^2
N_POINTS = 400  # points per data set before the user's own


def _spiral(rng, n, classes, noise):
    # The lectures' generator (radius <= 1), scaled to the plane; noise is its angle noise in radians.
    x, t = make_spiral(n // classes, classes, noise=noise, seed=rng)
    return 5.0 * x, t


def _xor(rng, n, classes, noise):
    x = rng.uniform(-5.0, 5.0, size=(n, 2))
    x += np.where(x > 0, 0.3, -0.3)  # keep points off the axes, where the class would be a coin toss
    t = (x[:, 0] * x[:, 1] < 0).astype(np.int64)
    return x + 5.0 * noise * rng.standard_normal((n, 2)), t


def _circles(rng, n, classes, noise):
    t = np.repeat(np.arange(2, dtype=np.int64), [n // 2, n - n // 2])
    radius = np.where(t == 0, rng.uniform(0.0, 2.5, n), rng.uniform(3.5, 5.0, n))
    angle = rng.uniform(0.0, 2.0 * np.pi, n)
    x = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return x + 5.0 * noise * rng.standard_normal((n, 2)), t


def _gaussians(rng, n, classes, noise):
    t = np.repeat(np.arange(2, dtype=np.int64), [n // 2, n - n // 2])
    centres = np.where(t[:, None] == 0, 2.0, -2.0)
    return centres + (0.5 + 3.0 * noise) * rng.standard_normal((n, 2)), t


def _moons(rng, n, classes, noise):
    t = np.repeat(np.arange(2, dtype=np.int64), [n // 2, n - n // 2])
    angle = rng.uniform(0.0, np.pi, n)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
    x = np.where(t[:, None] == 0, upper, lower) - [0.5, 0.25]
    return 2.5 * x + 5.0 * noise * rng.standard_normal((n, 2)), t


GENERATORS = {"spiral": _spiral, "xor": _xor, "circles": _circles, "gaussians": _gaussians, "moons": _moons}


def make_dataset(name, classes=2, noise=0.0, split=50, points=(), seed=0):
    """Points of one toy data set, split into train and test; the user's points join the training set.

    Parameters
    ----------
    name : {"spiral", "xor", "circles", "gaussians", "moons"}
    classes : int, default=2
        K, for the spiral (2 to 5); the others have two classes.
    noise : float, default=0.0
        Percent, 0 to 50: how far points stray from the pattern.
    split : float, default=50
        Percent of the generated points that train; the rest test.
    points : sequence of (x1, x2, class), default=()
        The user's own points, all training points.
    seed : int, default=0

    Returns
    -------
    x_train : ndarray of float64, shape (N_train, 2)
    t_train : ndarray of int64, shape (N_train,)
    x_test : ndarray of float64, shape (N_test, 2)
    t_test : ndarray of int64, shape (N_test,)

    Examples
    --------
    >>> x_train, t_train, x_test, t_test = make_dataset("xor", split=75, seed=1)
    >>> x_train.shape, x_test.shape
    ((300, 2), (100, 2))
    """
    if name not in GENERATORS:
        raise ValueError(f"name expects one of {sorted(GENERATORS)}, got {name!r}")
    rng = np.random.default_rng(seed)
    x, t = GENERATORS[name](rng, N_POINTS, classes, noise / 100.0)
    order = rng.permutation(len(t))
    n_train = int(round(len(t) * split / 100.0))
    train, test = order[:n_train], order[n_train:]
    own = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    x_train = np.concatenate([x[train], own[:, :2]])
    t_train = np.concatenate([t[train], own[:, 2].astype(np.int64)])
    return x_train, t_train, x[test], t[test]


def input_features(x, names):
    """The network's inputs: the chosen functions of the two coordinates.

    Parameters
    ----------
    x : ndarray, shape (N, 2)
        Points (x1, x2).
    names : sequence of str
        Drawn from ``"x1", "x2", "x1^2", "x2^2", "x1*x2", "sin x1", "sin x2"``.

    Returns
    -------
    ndarray of float64, shape (N, len(names))

    Examples
    --------
    >>> input_features(np.array([[1.0, 2.0]]), ["x1*x2", "x2^2"])
    array([[2., 4.]])
    """
    x1, x2 = x[:, 0], x[:, 1]
    table = {
        "x1": lambda: x1,
        "x2": lambda: x2,
        "x1^2": lambda: x1**2,
        "x2^2": lambda: x2**2,
        "x1*x2": lambda: x1 * x2,
        "sin x1": lambda: np.sin(x1),
        "sin x2": lambda: np.sin(x2),
    }
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise ValueError(f"names expects features from {list(FEATURES)}, got {unknown}")
    return np.column_stack([table[name]() for name in names]).astype(np.float64)
