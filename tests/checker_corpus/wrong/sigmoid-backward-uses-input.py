"""Wrong on purpose: sigmoid-backward-uses-input."""

import numpy as np


class Sigmoid:
    def forward(self, x):
        self.x = x
        return 1 / (1 + np.exp(-x))

    def backward(self, dout):
        return dout * self.x * (1 - self.x)
