"""An endless loop in Relu.forward; the Sigmoid after it is right and must still be checked."""

import numpy as np


class Relu:
    def forward(self, x):
        while True:
            x = x + 0

    def backward(self, dout):
        return dout


class Sigmoid:
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)
