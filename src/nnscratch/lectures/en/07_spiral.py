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
# # 7. Case study: the spiral
#
# Three arms of a spiral, 100 points each, in the plane. A linear classifier draws straight
# boundaries; the spiral's arms wind around each other, so no straight boundary can separate
# them. This case study (after CS231n) trains a linear softmax classifier and a two-layer
# ReLU net on the same points and compares their decision boundaries.

# %%
import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import SoftmaxClassifier, TwoLayerNet
from nnscratch.data import make_spiral
from nnscratch.train import fit_full_batch

# %% [markdown]
# ## The data
#
# Point $i$ of class $j$ sits at radius $r = i / (N - 1)$ and angle
# $4j + 4i/(N - 1)$ plus noise of 0.2 radians.

# %%
x, t = make_spiral(n_per_class=100, n_classes=3, noise=0.2, seed=0)
plt.scatter(x[:, 0], x[:, 1], c=t, s=20, cmap="brg")
plt.gca().set_aspect("equal")
plt.title("spiral: 3 classes x 100 points")
plt.show()

# %% [markdown]
# ## A linear softmax classifier
#
# Scores $s = xW + b$, softmax cross-entropy, and L2 regularisation $\frac{1}{2}\lambda\sum W^2$
# with $\lambda = 10^{-3}$ (its gradient is $\lambda W$). Full-batch gradient descent with step
# size 1.0 for 200 iterations.

# %%
softmax_model = SoftmaxClassifier(2, 3, reg=1e-3, seed=0)
softmax_history = fit_full_batch(softmax_model, x, t, learning_rate=1.0, iterations=200, log_every=20)
for record in softmax_history:
    print(f"iteration {record['iteration']:4d}  loss {record['loss']:.4f}  accuracy {record['train_accuracy']:.2f}")

# %% [markdown]
# The loss falls from about 1.097 ($\ln 3$: all classes equally likely) to about 0.75 (0.786
# in the lecture notes, whose random noise differs), and the training accuracy stops near 0.5.

# %%
assert abs(softmax_history[0]["loss"] - 1.097) < 0.01
assert abs(softmax_history[-1]["loss"] - 0.786) < 0.05
assert 0.45 <= softmax_history[-1]["train_accuracy"] <= 0.6

# %% [markdown]
# ## A two-layer net
#
# One hidden layer of 100 ReLU units, the same step size and regularisation, 10,000
# iterations.

# %%
net = TwoLayerNet(2, 100, 3, activation="relu", reg=1e-3, seed=0)
net_history = fit_full_batch(net, x, t, learning_rate=1.0, iterations=10_000, log_every=1000)
for record in net_history:
    print(f"iteration {record['iteration']:5d}  loss {record['loss']:.4f}  accuracy {record['train_accuracy']:.3f}")
assert abs(net_history[0]["loss"] - 1.099) < 0.01
assert net_history[-1]["loss"] < 0.3
assert net_history[-1]["train_accuracy"] >= 0.98

# %% [markdown]
# ## Decision boundaries
#
# Colour every point of the plane by the class each model predicts there.

# %%
grid = np.linspace(-1.2, 1.2, 300)
gx, gy = np.meshgrid(grid, grid)
plane = np.column_stack([gx.ravel(), gy.ravel()])
fig, axes = plt.subplots(1, 2, figsize=(11, 5))
for ax, (name, model) in zip(axes, [("linear softmax", softmax_model), ("two-layer net", net)]):
    regions = model.predict(plane).argmax(axis=1).reshape(gx.shape)
    ax.contourf(gx, gy, regions, alpha=0.3, cmap="brg")
    ax.scatter(x[:, 0], x[:, 1], c=t, s=15, cmap="brg", edgecolors="k", linewidths=0.3)
    ax.set_title(f"{name}: accuracy {model.accuracy(x, t):.2f}")
    ax.set_aspect("equal")
plt.show()

# %% [markdown]
# ## Loss curves

# %%
plt.plot([r["iteration"] for r in net_history], [r["loss"] for r in net_history], label="two-layer net")
plt.plot([r["iteration"] for r in softmax_history], [r["loss"] for r in softmax_history], label="linear softmax")
plt.xscale("symlog")
plt.xlabel("iteration")
plt.ylabel("loss")
plt.legend()
plt.show()

# %% [markdown]
# ## Exercises
#
# 1. Train the two-layer net with 10 and with 1000 hidden units. How do the boundaries change?
# 2. Set `reg=0` and `reg=0.1`. Which gives the smoothest boundary, and which the best
#    accuracy on a *new* spiral, `make_spiral(seed=1)`?
# 3. Use 5 arms (`n_classes=5`). How many hidden units does the net need now?
# 4. Replace ReLU by `"sigmoid"`. Why does it learn more slowly with step size 1.0?
#
# ## Check yourself
#
# Both classifiers above are trained on the cross-entropy loss. Write `cross_entropy_error`
# yourself in the cell below: batch-averaged, for class numbers as well as one-hot labels,
# and for a single sample. `nnscratch.check` compares it with the package's, including what
# happens when a probability is exactly 0.

# %% tags=["check-yourself"]
def cross_entropy_error(y, t):
    if y.ndim == 1:  # one sample: make it a batch of one
        y, t = y.reshape(1, -1), np.reshape(t, (1, -1))
    if t.size == y.size:  # one-hot labels: turn them into class numbers
        t = t.argmax(axis=1)
    n = y.shape[0]
    return -np.sum(np.log(y[np.arange(n), np.ravel(t)] + 1e-7)) / n


report = nnscratch.check(cross_entropy_error)
print(report)
assert report.passed, "cross_entropy_error failed a check: read its FAIL or ERROR rows above, fix it and run again"
