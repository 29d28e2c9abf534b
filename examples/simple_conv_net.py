"""The book's chapter 7: SimpleConvNet on MNIST-format images, its gradient check, then training.

    python examples/simple_conv_net.py [ITERATIONS] [DATA_DIR]

ITERATIONS (default 600, one epoch of batch 100) mini-batch steps of Adam; DATA_DIR is a folder
with the four MNIST-format files (default: Fashion-MNIST wherever nnscratch finds it).
"""

import sys

import numpy as np

from nnscratch import Adam, SimpleConvNet, gradcheck
from nnscratch.data import load_fashion_mnist

# 1. Backprop through convolution and pooling, checked against central differences on a small
#    net (every one of its weights costs two forward passes, so the real one would take hours).
#    Weights of std 0.1, not the training's 0.01: with 0.01 some convolution outputs lie within
#    h = 1e-4 of ReLU's corner at 0, or two pooled values within h of each other, and a central
#    difference across a corner is not the derivative (W1's relative error is then about 1e-3).
small = SimpleConvNet(
    input_dim=(1, 10, 10),
    conv_param={"filter_num": 10, "filter_size": 3, "pad": 0, "stride": 1},
    hidden_size=10,
    output_size=10,
    weight_init_std=0.1,
    seed=0,
)
rng = np.random.default_rng(0)
x_small, t_small = rng.random((2, 1, 10, 10)), np.array([1, 7])
print(gradcheck(small, x_small, t_small), "\n")  # W1..W3, b1..b3: relative errors below 1e-9

# 2. The book's network on 28x28 images: conv 30 5x5 - relu - pool 2x2 - affine 100 - relu - affine 10.
iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 600
data_dir = sys.argv[2] if len(sys.argv) > 2 else None
(x_train, t_train), (x_test, t_test) = load_fashion_mnist(data_dir=data_dir, flatten=False)  # (N, 1, 28, 28)
print(f"train {x_train.shape}, test {x_test.shape}")

net = SimpleConvNet(weight_init_std=0.01, seed=0, dtype=np.float32)
print({name: p.shape for name, p in net.params.items()})
optimizer = Adam(lr=0.001)
for step in range(iterations):
    batch = rng.choice(len(x_train), 100)  # the book's random mini-batch
    grads = net.gradient(x_train[batch], t_train[batch])
    optimizer.update(net.params, grads)  # in place: the layers see the new weights
    if step % 100 == 0:
        print(f"step {step:4d}: loss {net.loss(x_train[batch], t_train[batch]):.4f}")
print(f"test accuracy {net.accuracy(x_test[:2000], t_test[:2000]):.4f}")
