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
# # 9. Training well: optimizers, initialisation, Dropout, BatchNorm, schedules
#
# Lecture 6 trained with plain SGD, small random weights and a fixed learning rate. That
# works, slowly. This lecture changes one thing at a time on Fashion-MNIST and looks at the
# curves: the update rule, the initial weights, Dropout and Batch Normalisation against
# overfitting and for speed, and learning rates that change during training.
#
# The runs here use part of the data so that each takes seconds (`QUICK` shrinks them
# further for the automatic test run).

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import SGD, AdaGrad, Adam, Affine, BatchNorm, Momentum, RMSprop, Sequential, Tanh, gradcheck, mlp
from nnscratch.data import load_fashion_mnist
from nnscratch.optim import CosineAnnealing, ExponentialDecay, StepDecay
from nnscratch.train import Trainer

QUICK = os.environ.get("NNSCRATCH_QUICK") == "1"
(x_all, t_all), (x_test_all, t_test_all) = load_fashion_mnist()
n_train, n_test, epochs = (4000, 1000, 3) if QUICK else (20_000, 10_000, 10)
x_train, t_train = x_all[:n_train], t_all[:n_train]
x_test, t_test = x_test_all[:n_test], t_test_all[:n_test]


def train(model, optimizer, epochs=epochs, x=x_train, t=t_train, **options):
    trainer = Trainer(model, optimizer, batch_size=100, seed=0, progress="none", **options)
    return trainer.fit(x, t, epochs=epochs, validation_data=(x_test, t_test))


def plot_curves(histories, key, title):
    for name, history in histories.items():
        plt.plot([r["epoch"] for r in history], [r[key] for r in history], "o-", label=name)
    plt.xlabel("epoch")
    plt.ylabel(key)
    if "accuracy" in key:
        plt.ylim(0, 1)
    plt.title(title)
    plt.legend()
    plt.show()


# %% [markdown]
# ## Optimizers
#
# - SGD: $W \leftarrow W - \eta\,\partial L/\partial W$.
# - Momentum: a velocity $v \leftarrow \alpha v - \eta\,\partial L/\partial W$ carries the step
#   along directions that keep the same sign, and damps zig-zags.
# - AdaGrad: divides each weight's step by the root of its summed squared gradients, so
#   weights that have moved a lot slow down.
# - RMSprop: the same with a moving average, so it never freezes.
# - Adam: momentum and RMSprop together, with bias correction for the first steps.
#
# Same network (784-100-10, ReLU, He initialisation), same data, each with a learning rate
# that suits it:

# %%
optimizers = {
    "SGD 0.1": SGD(0.1),
    "Momentum 0.05": Momentum(0.05),
    "AdaGrad 0.05": AdaGrad(0.05),
    "RMSprop 0.001": RMSprop(0.001),
    "Adam 0.001": Adam(0.001),
}
histories = {name: train(mlp(784, [100], 10, seed=0), opt) for name, opt in optimizers.items()}
for name, h in histories.items():
    print(f"{name:14s} loss {h[-1]['loss']:.4f}  test accuracy {h[-1]['test_accuracy']:.4f}")
plot_curves(histories, "loss", "optimizers: training loss")

# %% [markdown]
# ## Initial weights
#
# Weights that are too small make every layer's output shrink towards 0 (and the
# gradients with it); too large and sigmoid units saturate at 0 or 1, where their slope
# is zero. Xavier ($\sigma = \sqrt{1/n}$) suits sigmoid and tanh; He
# ($\sigma = \sqrt{2/n}$) suits ReLU, which zeroes half its inputs. Below, the outputs of
# each hidden layer of a 5-layer sigmoid net for three initialisations.

# %%
def hidden_outputs(weight_init, activation):
    model = mlp(784, [100] * 5, 10, activation=activation, weight_init=weight_init, seed=0, dtype="float64")
    out, outputs = x_train[:1000].astype(np.float64), []
    for layer in model.layers[:-1]:
        out = layer.forward(out)
        if type(layer).__name__ != "Affine":
            outputs.append(out)
    return outputs


fig, axes = plt.subplots(3, 5, figsize=(12, 6), sharey="row")
for row, weight_init in enumerate(["std", "xavier", "he"]):
    for col, out in enumerate(hidden_outputs(weight_init, "sigmoid")):
        axes[row, col].hist(out.ravel(), bins=30, range=(0, 1))
        axes[row, col].set_title(f"{weight_init}: layer {col + 1}", fontsize=9)
plt.tight_layout()
plt.show()

# %% [markdown]
# And the training loss of a deeper ReLU net (4 hidden layers) for each:

# %%
histories = {
    name: train(mlp(784, [100] * 4, 10, weight_init=name, seed=0), SGD(0.05)) for name in ["std", "xavier", "he"]
}
plot_curves(histories, "loss", "initialisation, 4 hidden ReLU layers, SGD")

# %% [markdown]
# With $\sigma = 0.01$ the deep net hardly starts: the signal dies on its way through.
#
# ## Overfitting, and Dropout
#
# Train a big net on only 1000 images. It learns them by heart: training accuracy goes to
# 1 while test accuracy stalls. Dropout switches off a random part of the hidden units at
# every step (and none at test time), so no unit can rely on another.

# %%
few_x, few_t = x_train[:1000], t_train[:1000]
long_epochs = 10 if QUICK else 40
histories = {}
for ratio in (0.0, 0.5):
    h = train(mlp(784, [256, 256], 10, dropout=ratio, seed=0), Adam(1e-3), epochs=long_epochs, x=few_x, t=few_t)
    histories[f"dropout {ratio}"] = h
    print(f"dropout {ratio}: train {h[-1]['train_accuracy']:.3f}  test {h[-1]['test_accuracy']:.3f}")
for name, h in histories.items():
    epochs_axis = [r["epoch"] for r in h]
    line = plt.plot(epochs_axis, [r["train_accuracy"] for r in h], label=f"{name} train")[0]
    plt.plot(epochs_axis, [r["test_accuracy"] for r in h], "--", color=line.get_color(), label=f"{name} test")
plt.ylim(0, 1)
plt.xlabel("epoch")
plt.legend()
plt.show()

# %% [markdown]
# ## Batch Normalisation
#
# BatchNorm standardises each hidden unit over the mini-batch (mean 0, variance 1) and then
# lets the network scale and shift it back with two learned parameters, $\gamma$ and
# $\beta$. It keeps the signal at a healthy size in every layer, so even a poorly
# initialised net learns quickly.

# %%
histories = {
    f"BatchNorm {flag}": train(mlp(784, [100] * 4, 10, weight_init="std", batchnorm=flag, seed=0), SGD(0.05))
    for flag in (False, True)
}
plot_curves(histories, "test_accuracy", "4 hidden layers, weights 0.01 x randn")
assert histories["BatchNorm True"][-1]["test_accuracy"] > histories["BatchNorm False"][-1]["test_accuracy"]

# %% [markdown]
# ## Learning-rate schedules
#
# Large steps early, small steps late: the learning rate decays each epoch. Seed 000's
# `lr_decay` multiplies it by a constant each epoch (`ExponentialDecay`); `StepDecay` halves
# it every few epochs; `CosineAnnealing` follows half a cosine down to 0.

# %%
schedules = {
    "constant": None,
    "ExponentialDecay(0.8)": ExponentialDecay(0.8),
    "StepDecay(2, 0.5)": StepDecay(2, 0.5),
    f"CosineAnnealing({epochs})": CosineAnnealing(epochs),
}
histories = {name: train(mlp(784, [100], 10, seed=0), SGD(0.2), lr_schedule=s) for name, s in schedules.items()}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for name, h in histories.items():
    ax1.plot([r["epoch"] for r in h], [r["lr"] for r in h], "o-", label=name)
    ax2.plot([r["epoch"] for r in h], [r["test_accuracy"] for r in h], "o-", label=name)
ax1.set(xlabel="epoch", ylabel="learning rate")
ax2.set(xlabel="epoch", ylabel="test accuracy")
ax1.legend()
plt.show()

# %% [markdown]
# ## Putting it together
#
# The package's best five-minute Fashion-MNIST model combines these: 784-1024-512-10 with
# ReLU, He initialisation, Dropout 0.3, Adam and a cosine schedule for 30 epochs. It reaches
# about 0.905 test accuracy (scikit-learn's `MLPClassifier` about 0.87-0.88). Run it from a
# terminal with `nnscratch fashion`.
#
# ## Exercises
#
# 1. Give every optimizer the same learning rate, 0.01. Which ones suffer?
# 2. Repeat the initialisation histograms with `activation="relu"`. Which init keeps the
#    outputs alive through all five layers?
# 3. Find the dropout ratio that gives the best *test* accuracy on the 1000 images.
# 4. Combine BatchNorm and Dropout. Does the order matter?
#
# ## Check yourself
#
# BatchNorm has a backward pass of its own, the longest of all the layers. The check below
# runs it between a tanh layer and the output layer. (Put it right after an `Affine` and
# that layer's bias gets a gradient of exactly zero: BatchNorm subtracts the mean, and with
# it any constant the bias added.)
#
# Then write two of the optimizers compared above yourself, `Momentum` and `Adam`, with
# `update(params, grads)`. `nnscratch.check` runs five steps of each against the package's
# rule, with state kept per parameter. Leave out Adam's bias correction and run it again.

# %% tags=["check-yourself"]
rng = np.random.default_rng(0)
model = Sequential(
    Affine(0.1 * rng.normal(size=(784, 8)), np.zeros(8)),
    Tanh(),
    BatchNorm(np.ones(8), np.zeros(8)),
    Affine(0.1 * rng.normal(size=(8, 10)), np.zeros(10)),
)
report = gradcheck(model, x_train[:4], t_train[:4])
print(report)
assert report.ok, "a gradient disagrees with its numerical estimate: look at the rows marked 'wrong'"


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, {}

    def update(self, params, grads):
        for key in params:
            v = self.v.setdefault(key, np.zeros_like(params[key]))
            v *= self.momentum
            v -= self.lr * grads[key]
            params[key] += v


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.m, self.v, self.steps = {}, {}, 0

    def update(self, params, grads):
        self.steps += 1
        for key in params:
            m = self.m.setdefault(key, np.zeros_like(params[key]))
            v = self.v.setdefault(key, np.zeros_like(params[key]))
            m += (1 - self.beta1) * (grads[key] - m)
            v += (1 - self.beta2) * (grads[key] ** 2 - v)
            m_hat = m / (1 - self.beta1**self.steps)  # bias correction: m and v start at zero
            v_hat = v / (1 - self.beta2**self.steps)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)


for mine in [Momentum, Adam]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
