"""The linear softmax classifier of seed 000: ``scores = x @ W + b``."""

import numpy as np

from nnscratch import init
from nnscratch.layers import Affine, SoftmaxWithLoss
from nnscratch.models.network import Network
from nnscratch.validation import check_positive_int


class SoftmaxClassifier(Network):
    """Linear scores, softmax cross-entropy, L2 regularisation (SPEC 1.5).

    ::

        scores = x @ W + b                          x: (N, D) -> (N, C)
        loss = mean cross-entropy + 0.5 * reg * sum(W ** 2)
        dW = x.T @ (softmax(scores) - t) / N + reg * W

    Parameters
    ----------
    input_size : int
        D, features per sample.
    num_classes : int
        C.
    reg : float, default=0.0
    weight_init_std : float, default=0.01
    seed : int or numpy.random.Generator, optional
    dtype : numpy dtype, default=np.float64

    Attributes
    ----------
    params : dict with keys "W" (D, C) and "b" (C,)
    """

    def __init__(self, input_size, num_classes, reg=0.0, weight_init_std=0.01, seed=None, dtype=np.float64):
        D = check_positive_int(input_size, "input_size")
        C = check_positive_int(num_classes, "num_classes")
        rng = np.random.default_rng(seed)
        affine = Affine(init.std_normal(rng, D, C, weight_init_std, dtype), np.zeros(C, dtype=dtype))
        super().__init__([affine], SoftmaxWithLoss(), reg)

    def param_name(self, index, layer, attr):
        return attr

    def __repr__(self):
        D, C = self.layers[0].W.shape
        return f"SoftmaxClassifier({D} -> {C}, reg={self.reg}, dtype={self.dtype})"
