"""Wrong on purpose: softmaxwithloss-divided-twice."""

import numpy as np


class SoftmaxWithLoss:
    def forward(self, x, t):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.y = e / e.sum(axis=1, keepdims=True)
        self.t = t
        return -np.sum(t * np.log(self.y + 1e-7)) / x.shape[0]

    def backward(self, dout=1):
        n = self.t.shape[0]
        dx = (self.y - self.t) / n
        return dout * dx / n
