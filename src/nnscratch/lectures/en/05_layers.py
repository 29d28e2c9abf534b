# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 5. Layers as classes: Affine, ReLU, Sigmoid, SoftmaxWithLoss
#
# In lecture 4 every node was a tiny class with `forward` and `backward`. A network is
# built the same way, only each node is a whole *layer* working on a batch of $N$ samples
# at once. Shapes, used throughout: $N$ samples, $D$ input features, $H$ hidden units,
# $C$ classes.
#
# In this lecture you write the four layers yourself, check each against numerical
# gradients, and then run a network made only of your own layers.

# %%
import inspect

import numpy as np

import nnscratch
from nnscratch import Affine, Relu, Sequential, SoftmaxWithLoss, numerical_gradient
from nnscratch.functional import softmax
from nnscratch.layers import Layer

rng = np.random.default_rng(0)

# %% [markdown]
# ## ReLU
#
# Forward: $out = \max(0, x)$. Backward: the gradient passes where $x > 0$ and is blocked
# elsewhere. The layer remembers *where* in forward (a boolean mask) and uses it in backward.
# It returns a new array and never writes into `dout`, which belongs to its caller.

# %%
class MyRelu(Layer):
    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


relu = MyRelu()
x = np.array([[1.0, -0.5], [-2.0, 3.0]])
print(relu.forward(x))
print(relu.backward(np.ones_like(x)))

# %% [markdown]
# ## Sigmoid
#
# Forward: $y = \frac{1}{1 + e^{-x}}$. Backward: $dx = dout \cdot y(1 - y)$: the layer keeps
# its output $y$, not its input.

# %%
class MySigmoid(Layer):
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


# %% [markdown]
# ## Affine
#
# Forward: $out = xW + b$ with $x$ (N, D), $W$ (D, H), $b$ (H,). Backward, in the code's names:
#
# - `dx = dout @ W.T`  (N, D)
# - `dW = x.T @ dout`  (D, H)
# - `db = dout.sum(axis=0)`  (H,): the bias was added to every row, so its gradient sums
#   over the batch.
#
# A layer with parameters lists them in `param_names`; after `backward` their gradients
# are `dW` and `db`. That is how a network finds them.

# %%
class MyAffine(Layer):
    param_names = ("W", "b")
    weight_names = ("W",)

    def __init__(self, W, b):
        super().__init__()
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


# %% [markdown]
# ## SoftmaxWithLoss
#
# Softmax and cross-entropy are joined in one layer because their backward is so simple:
# $dx = \frac{y - t}{N}$, the predicted probabilities minus the one-hot labels, averaged.

# %%
class MySoftmaxWithLoss(Layer):
    def forward(self, x, t):
        self.y = softmax(x)
        self.t = np.eye(x.shape[1])[t]
        return float(-np.sum(self.t * np.log(self.y + 1e-12)) / x.shape[0])

    def backward(self, dout=1.0):
        return dout * (self.y - self.t) / self.y.shape[0]


# %% [markdown]
# The package's layers do the same things, with checks on their input and support for
# more shapes. Read one of them:

# %%
print(inspect.getsource(Affine.backward))

# %% [markdown]
# ## Checking one layer
#
# To check a layer's backward, pick a random upstream gradient `dout` and compare
# `backward(dout)` with the numerical gradient of $\sum out \cdot dout$. Both must agree;
# we judge by the relative error $\frac{\lVert a - b \rVert}{\lVert a \rVert + \lVert b \rVert}$,
# which should be around $10^{-8}$ or smaller.

# %%
def relative_error(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


def check_layer(layer, x):
    out = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    dx_num = numerical_gradient(lambda _: np.sum(layer.forward(x) * dout), x)
    return relative_error(dx, dx_num)


x = rng.normal(size=(4, 5))
affine = MyAffine(rng.normal(size=(5, 3)), rng.normal(size=3))
for name, layer in [("MyRelu", MyRelu()), ("MySigmoid", MySigmoid()), ("MyAffine", affine)]:
    error = check_layer(layer, x)
    print(f"{name:10s} dx relative error {error:.1e}")
    assert error < 1e-7

# %% [markdown]
# ## Ours against the package's
#
# Same weights, same input: the forward outputs and every gradient should be equal.

# %%
W1, b1 = 0.1 * rng.normal(size=(5, 4)), np.zeros(4)
W2, b2 = 0.1 * rng.normal(size=(4, 3)), np.zeros(3)
t = np.array([0, 2, 1, 2])

ours = Sequential(MyAffine(W1.copy(), b1.copy()), MyRelu(), MyAffine(W2.copy(), b2.copy()), loss=MySoftmaxWithLoss())
theirs = Sequential(Affine(W1.copy(), b1.copy()), Relu(), Affine(W2.copy(), b2.copy()), loss=SoftmaxWithLoss())
print("loss ours", round(ours.loss(x, t), 6), " nnscratch", round(theirs.loss(x, t), 6))
g_ours, g_theirs = ours.gradient(x, t), theirs.gradient(x, t)
for name in g_theirs:
    print(f"{name:11s} max difference {np.abs(g_ours[name] - g_theirs[name]).max():.1e}")
    assert np.allclose(g_ours[name], g_theirs[name])

# %% [markdown]
# ## Exercises
#
# 1. Write `MyTanh` (backward: $dout \cdot (1 - y^2)$) and check it with `check_layer`.
# 2. Break `MyAffine.backward` on purpose: forget `.T` in `dx`, or use `mean` instead of
#    `sum` for `db`. What does the check print? What error message do you get?
# 3. `MyAffine` only takes 2-D input. Make it accept images of shape (N, 28, 28) by
#    flattening in forward and restoring the shape of `dx` in backward.
# 4. Why is `1e-12` added inside the log? Remove it and feed scores like 1000 and -1000.
#
# ## Check yourself
#
# The cell below gives your layers the names `nnscratch.check` knows and checks each one
# against the package's layer: forward, every gradient against numerical differentiation,
# inputs left alone, a batch of one. Two additions make them take what the package's layers
# take: `Affine` flattens image batches (exercise 3) and `SoftmaxWithLoss` accepts one-hot
# labels as well as class numbers. Break one of your layers above (exercise 2) and run
# it again.

# %% tags=["check-yourself"]
class Relu(MyRelu):
    pass


class Sigmoid(MySigmoid):
    pass


class Affine(MyAffine):
    def forward(self, x):
        self.x_shape = x.shape  # images (N, 28, 28) are flattened to (N, 784) and dx gets the shape back
        return super().forward(x.reshape(x.shape[0], -1))

    def backward(self, dout):
        return super().backward(dout).reshape(self.x_shape)


class SoftmaxWithLoss(MySoftmaxWithLoss):
    def forward(self, x, t):
        if t.ndim == x.ndim:  # one-hot labels, as in the book: turn them into class numbers
            t = t.argmax(axis=1)
        return super().forward(x, t)


for mine in [Relu, Sigmoid, Affine, SoftmaxWithLoss]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
