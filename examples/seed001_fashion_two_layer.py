"""Seed 001: the MNIST lecture's 784-50-10 sigmoid net, here on Fashion-MNIST, with the Trainer.

Needs Fashion-MNIST where ``load_fashion_mnist`` finds it (Debian's dataset-fashion-mnist, or
NNSCRATCH_DATA) or network access to download it.
"""

import sys

import numpy as np

from nnscratch import SGD, TwoLayerNet
from nnscratch.data import load_fashion_mnist
from nnscratch.train import Trainer

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 17
(x, t), (x_test, t_test) = load_fashion_mnist()  # float32 (60000, 784), int64 (60000,)
net = TwoLayerNet(784, 50, 10, activation="sigmoid", seed=0, dtype=np.float32)
history = Trainer(net, SGD(lr=0.1), batch_size=100, seed=0).fit(x, t, epochs, validation_data=(x_test, t_test))
print(f"test accuracy after {epochs} epochs: {history[-1]['test_accuracy']:.4f}")
