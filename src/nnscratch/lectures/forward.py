"""Forward passes worked by hand in the lectures (SPEC 1.5)."""

import numpy as np

from nnscratch.functional import cross_entropy_error, softmax
from nnscratch.layers import Affine
from nnscratch.numgrad import numerical_gradient

# One Iris row (a virginica, class 2) and the lecture's 4x3 weights, one row per class.
IRIS_X = np.array([6.3, 2.7, 4.9, 1.8])
IRIS_LABEL = 2
IRIS_W = np.array(
    [
        [0.231595, 0.613372, -0.89624, -0.41208],
        [0.076107, -0.22382, 0.20313, -0.05043],
        [-0.30772, -0.38941, 0.693168, 0.462622],
    ]
)
IRIS_B = np.array([1.123884, 0.319879, 0.844128])
SOFTMAX_SCORES = np.array([3.2, 5.1, -1.7])


def iris_forward(b2_shift=0.0):
    """The single-layer forward pass on one Iris row.

    Parameters
    ----------
    b2_shift : float, default=0.0
        Added to the second bias (the lecture asks: what if b2 + 1?).

    Returns
    -------
    dict with ``scores`` (3,), ``probabilities`` (3,) and ``loss`` (natural-log
    cross-entropy for the true class 2).
    """
    b = IRIS_B.copy()
    b[1] += b2_shift
    layer = Affine(IRIS_W.T, b)
    scores = layer.forward(IRIS_X[None, :])[0]
    probabilities = softmax(scores)
    return {"scores": scores, "probabilities": probabilities, "loss": cross_entropy_error(probabilities, IRIS_LABEL)}


def simple_net_gradient(W, x=(0.6, 0.9), t=(0, 0, 1)):
    """The lectures' simpleNet: loss ``CE(softmax(x @ W), t)`` and its numerical gradient.

    Parameters
    ----------
    W : ndarray, shape (2, 3)

    Returns
    -------
    loss : float
    dW : ndarray, shape (2, 3)
    """
    x, t = np.asarray(x, dtype=float), np.asarray(t)
    W = np.array(W, dtype=float)

    def loss(_):
        return cross_entropy_error(softmax(x @ W), t)

    return loss(W), numerical_gradient(loss, W)
