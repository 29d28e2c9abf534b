"""Toy data sets generated on the fly."""

import numpy as np

from nnscratch.validation import check_positive_int


def make_spiral(n_per_class=100, n_classes=3, noise=0.2, seed=None):
    """The spiral data of seed 000: K arms of N points each in the plane.

    Point i of class j sits at radius ``r = linspace(0, 1, N)[i]`` and angle
    ``linspace(4j, 4(j + 1), N)[i] + noise * randn``, i.e. at
    ``(r sin(angle), r cos(angle))``.

    Parameters
    ----------
    n_per_class : int, default=100
    n_classes : int, default=3
    noise : float, default=0.2
        Standard deviation of the angle noise, in radians.
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    x : ndarray of float64, shape (n_per_class * n_classes, 2)
    t : ndarray of int64, shape (n_per_class * n_classes,)
        Class indices, in blocks of ``n_per_class``.
    """
    n = check_positive_int(n_per_class, "n_per_class")
    k = check_positive_int(n_classes, "n_classes")
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.0, 1.0, n), k)
    angle = np.concatenate([np.linspace(4.0 * j, 4.0 * (j + 1), n) for j in range(k)])
    angle += noise * rng.standard_normal(n * k)
    x = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    t = np.repeat(np.arange(k, dtype=np.int64), n)
    return x, t


def make_xor():
    """The four XOR points and their labels.

    Returns
    -------
    x : ndarray of float64, shape (4, 2)
        (0, 0), (1, 0), (0, 1), (1, 1).
    t : ndarray of int64, shape (4,)
        0, 1, 1, 0.
    """
    x = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    return x, np.array([0, 1, 1, 0], dtype=np.int64)
