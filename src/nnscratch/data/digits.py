"""scikit-learn's 8x8 handwritten digits (needs scikit-learn, imported here only)."""

import numpy as np

from nnscratch.data.iris import stratified_split


def load_digits(test_fraction=0.2, seed=0):
    """Load the 1,797 digits with a stratified train/test split.

    Returns
    -------
    (x_train, t_train), (x_test, t_test)
        x float32 of shape (N, 64), pixels scaled from 0-16 to [0, 1]; t int64.

    Raises
    ------
    ModuleNotFoundError
        If scikit-learn is not installed (``pip install scikit-learn``).
    """
    from sklearn.datasets import load_digits as sklearn_digits

    data = sklearn_digits()
    x = (data.data / 16.0).astype(np.float32)
    t = data.target.astype(np.int64)
    train, test = stratified_split(t, test_fraction, seed)
    return (x[train], t[train]), (x[test], t[test])
