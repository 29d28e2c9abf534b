"""Tanh.backward ends the whole process; the checker must report it and carry on."""

import os

import numpy as np


class Tanh:
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        os._exit(3)


def relu(x):
    return np.maximum(0, x)
