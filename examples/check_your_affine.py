"""Write your own Affine and check it: a first attempt with a classic slip, then the fix.

Run it from the repository root: ``python examples/check_your_affine.py``. The same check
runs on a file with ``nnscratch check my_layers.py`` (add ``--lang ko`` for Korean).
"""

import numpy as np

import nnscratch


class Affine:
    """First attempt: forward is right, but the bias gradient keeps one row per sample."""

    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.input_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout  # b was added to every row in forward...
        return (dout @ self.W.T).reshape(self.input_shape)


first = nnscratch.check(Affine, lang="en")
print(first)
print("passed:", first.passed)


class Affine:  # noqa: F811 - the second attempt replaces the first, as in a notebook
    """Second attempt: ...so its gradient collects every row's contribution."""

    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.input_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = np.sum(dout, axis=0)
        return (dout @ self.W.T).reshape(self.input_shape)


second = nnscratch.check(Affine, lang="en")
print()
print(second)
print("passed:", second.passed)
