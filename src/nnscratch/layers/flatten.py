"""``Flatten``: images (N, C, H, W) to rows (N, C*H*W), the step from convolutions to Affine."""

import math

from nnscratch.layers.base import Layer
from nnscratch.layers.registry import register


@register
class Flatten(Layer):
    """Reshape each sample to one row; backward reshapes the gradient back.

    Forward and backward::

        out = x.reshape(N, -1)          (N, d_1, ..., d_k) -> (N, D), D = d_1 * ... * d_k
        dx = dout.reshape(x.shape)      (N, D) -> (N, d_1, ..., d_k)

    (``Affine`` flattens its input itself; ``Flatten`` makes the step visible in a model's
    printout and hands rows to layers that expect them, such as ``BatchNorm`` or ``Dropout``.)

    Examples
    --------
    >>> import numpy as np
    >>> from nnscratch import Flatten
    >>> Flatten().forward(np.zeros((2, 3, 4, 5))).shape
    (2, 60)
    """

    def __init__(self):
        super().__init__()
        self.input_shape = None

    def forward(self, x):
        """(N, d_1, ..., d_k) -> (N, D)."""
        if x.ndim < 2:
            raise ValueError(
                f"Flatten expects input of shape (N, d_1, ..., d_k), got an array of shape {tuple(x.shape)}"
            )
        self.input_shape = x.shape
        return x.reshape(x.shape[0], math.prod(x.shape[1:]))  # not -1: an empty batch stays (0, D)

    def backward(self, dout):
        """(N, D) -> dx in the input's shape."""
        if dout.shape != (self.input_shape[0], math.prod(self.input_shape[1:])):
            raise ValueError(
                f"Flatten.backward expects dout of shape {(self.input_shape[0], math.prod(self.input_shape[1:]))}, "
                f"got {tuple(dout.shape)}"
            )
        return dout.reshape(self.input_shape)
