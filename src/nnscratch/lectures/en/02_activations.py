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
# # 2. Activation functions, softmax and losses
#
# A layer of a network is "linear + activation". Without the activation, stacking layers
# gains nothing: a linear function of a linear function is still linear. The activation
# function is where the network bends. This lecture plots the usual ones, builds the
# softmax classifier's output, and measures how wrong a prediction is with a loss function.

# %%
import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch.functional import (
    cross_entropy_error,
    elu,
    leaky_relu,
    relu,
    sigmoid,
    softmax,
    step_function,
    sum_squared_error,
    tanh,
)
from nnscratch.lectures.forward import IRIS_B, IRIS_W, IRIS_X

# %% [markdown]
# ## The step function and the sigmoid
#
# The perceptron of lecture 1 used the step function. A network that learns by gradients
# (lecture 3) needs a smooth one: the sigmoid
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}}$$
#
# squeezes any number into $(0, 1)$ and has a slope everywhere. Here are both, written in
# NumPy so that they work on whole arrays at once.

# %%
def my_step(x):
    return (x > 0).astype(int)


def my_sigmoid(x):
    return 1 / (1 + np.exp(-x))


x = np.linspace(-5, 5, 201)
assert np.array_equal(my_step(x), step_function(x))
assert np.allclose(my_sigmoid(x), sigmoid(x))
plt.plot(x, my_step(x), label="step", linestyle="--")
plt.plot(x, my_sigmoid(x), label="sigmoid")
plt.ylim(-0.1, 1.1)
plt.legend()
plt.show()

# %% [markdown]
# ## tanh and the ReLU family
#
# - tanh: like the sigmoid but centred on 0, range $(-1, 1)$.
# - ReLU: $\max(0, x)$. Cheap, and its slope is 1 for every positive input, so gradients
#   do not fade as they pass back through many layers.
# - Leaky ReLU: $\max(\alpha x, x)$ with a small $\alpha$ (0.1 in the lecture notes): a unit
#   with negative input still passes a little gradient.
# - ELU: $x$ for $x \ge 0$, $\alpha(e^x - 1)$ below: smooth, and negative outputs are allowed.
# - Maxout: the maximum of $k$ linear pieces, $\max(w_1^T x + b_1, w_2^T x + b_2)$; ReLU is
#   the case $w_2 = 0, b_2 = 0$.

# %%
curves = {
    "sigmoid": sigmoid(x),
    "tanh": tanh(x),
    "ReLU": relu(x),
    "Leaky ReLU (0.1)": leaky_relu(x, 0.1),
    "ELU (1.0)": elu(x, 1.0),
    "Maxout (2 pieces)": np.maximum(0.5 * x + 1, -1.5 * x - 2),
}
fig, axes = plt.subplots(2, 3, figsize=(11, 6))
for ax, (name, y) in zip(axes.ravel(), curves.items()):
    ax.plot(x, y)
    ax.axhline(0, color="gray", linewidth=0.5)
    ax.axvline(0, color="gray", linewidth=0.5)
    ax.set_title(name)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Softmax: scores into probabilities
#
# The last layer gives one *score* per class. Softmax turns scores into probabilities:
#
# $$p_i = \frac{e^{s_i}}{\sum_j e^{s_j}}$$
#
# The lecture's example has three classes (cat, car, frog) with scores 3.2, 5.1 and -1.7.

# %%
scores = np.array([3.2, 5.1, -1.7])
print("exp(scores):", np.exp(scores).round(2))
p = softmax(scores)
print("softmax:    ", p.round(2))
assert np.allclose(p.round(2), [0.13, 0.87, 0.00])

# %% [markdown]
# `np.exp(1000)` overflows to infinity, and inf / inf is nan. Softmax does not change when
# the same number is subtracted from every score, so a careful softmax subtracts the largest
# score first:

# %%
big = np.array([1010.0, 1000.0, 990.0])
with np.errstate(over="ignore", invalid="ignore"):
    print("naive :", np.exp(big) / np.exp(big).sum())
print("stable:", softmax(big))

# %% [markdown]
# ## One row of Iris, forward
#
# The lecture notes push one Iris flower, $x = (6.3, 2.7, 4.9, 1.8)$ (a virginica, class 2),
# through a single layer with given weights: scores $H = Wx + b$, then softmax.

# %%
H = IRIS_W @ IRIS_X + IRIS_B
p = softmax(H)
print("scores       ", H.round(4))
print("probabilities", p.round(4))
assert np.allclose(H, [-0.8943, 1.0996, 2.0833], atol=1e-4)
assert np.allclose(p, [0.0357, 0.2624, 0.7018], atol=1e-4)

b_shifted = IRIS_B + np.array([0.0, 1.0, 0.0])
p_shifted = softmax(IRIS_W @ IRIS_X + b_shifted)
print("with b2 + 1  ", p_shifted.round(4))
assert np.allclose(p_shifted, [0.0246, 0.4917, 0.4837], atol=1e-4)

# %% [markdown]
# Adding 1 to the second bias moved probability from the true class to class 1. A loss
# function puts a number on how much worse that is.
#
# ## Loss functions
#
# - Sum of squared errors: $E = \frac{1}{2}\sum_k (y_k - t_k)^2$
# - Cross-entropy: $E = -\sum_k t_k \log y_k$: only the probability of the true class counts.
#
# The lecture notes' table used $\log_{10}$ and got 0.15376 and 0.31541. The package (and
# every deep-learning library) uses the natural logarithm, which gives 0.3541 and 0.7263
# for the same probabilities: the same ranking, a different scale.

# %%
label = 2
for name, probs in [("original", p), ("b2 + 1", p_shifted)]:
    ce = cross_entropy_error(probs, label)
    print(f"{name:9s} natural log {ce:.4f}   log10 {-np.log10(probs[label]):.5f}")
assert round(cross_entropy_error(p, label), 4) == 0.3541
assert round(cross_entropy_error(p_shifted, label), 4) == 0.7263

one_hot = np.eye(3)[label]
sse = [round(sum_squared_error(probs, one_hot), 4) for probs in (p, p_shifted)]
print("sum of squared errors:", sse)

# %% [markdown]
# ## Exercises
#
# 1. Plot the slope of the sigmoid, $\sigma(x)(1 - \sigma(x))$. Where is it largest, and
#    what is it at $x = \pm 5$? What does that mean for a deep stack of sigmoids?
# 2. Change the Leaky ReLU slope to 0.01 and ELU's $\alpha$ to 0.5 and compare the plots.
# 3. Multiply the three scores (3.2, 5.1, -1.7) by 10, then by 0.1. What happens to softmax?
# 4. Which change to the Iris bias would make the loss smaller than 0.3541?
#
# ## Check yourself
#
# Write `sigmoid`, `relu` and a `softmax` that survives scores like 1000 in the cell below,
# and `nnscratch.check` compares each with the package's own: on 1-D and 2-D input, on scores
# of $\pm 1000$, whether your function writes into its argument, and for softmax whether each
# row sums to 1. Drop the `x.max(...)` from softmax and run it again to see what a failure
# looks like.

# %% tags=["check-yourself"]
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    return np.maximum(0, x)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


for mine in [sigmoid, relu, softmax]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
