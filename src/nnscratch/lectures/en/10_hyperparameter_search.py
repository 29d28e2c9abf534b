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
# # 10. Hyperparameter search with `nnscratch sweep`
#
# The weights are learned; the *hyperparameters* are chosen by us: the hidden size, the
# learning rate and its decay, the number of epochs, the regularisation strength. Seed 000
# (CS231n's CIFAR-10 assignment) chose them by trying many combinations and keeping a table:
# hidden_size, learning_rate, lr_decay, num_epochs, reg, then training and validation
# accuracy. The best rows reached about 0.53 training and 0.49 validation accuracy on
# CIFAR-10.
#
# Three rules make such a table trustworthy:
#
# 1. Judge on a *validation* set carved out of the training data, never on the test set.
#    The sweep here trains on the first 50,000 Fashion-MNIST training images and validates
#    on the last 10,000.
# 2. Sample learning rate and regularisation on a log scale: 0.001 and 0.01 differ as much
#    as 0.01 and 0.1.
# 3. Random search beats a grid when only a few hyperparameters matter (Bergstra and
#    Bengio, 2012): nine random trials try nine learning rates, a 3x3 grid only three.
#
# `nnscratch sweep` runs the trials in parallel worker processes, stops poor ones early
# (pruning), and can be resumed. Here we run it on Fashion-MNIST (CIFAR-10 works the same
# way with `--dataset cifar10` when its files are on your machine).

# %%
import csv
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import TwoLayerNet
from nnscratch.data import load_fashion_mnist

QUICK = os.environ.get("NNSCRATCH_QUICK") == "1"
out = Path("runs/lecture-10-sweep")
out.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## The search space
#
# A small TOML file says where to look. `low`/`high` give a range, `log = true` samples it
# on a log scale, `grid` lists values for the grid sampler.

# %%
space = f"""
[hidden_size]
low = 50
high = 300
log = true

[learning_rate]
low = 0.01
high = 0.5
log = true

[lr_decay]
low = 0.8
high = 1.0

[num_epochs]
low = 1
high = {1 if QUICK else 8}

[reg]
low = 1e-5
high = 1e-2
log = true
"""
(out / "space.toml").write_text(space)

# %% [markdown]
# ## Running the sweep
#
# In a terminal you would type:
#
# ```sh
# nnscratch sweep --dataset fashion --trials 16 --jobs 2 --sampler random --space space.toml
# ```
#
# Here the notebook runs the same command (with `python -m nnscratch`, so that it uses the
# Python this notebook runs on).

# %%
trials = 3 if QUICK else 16
command = [
    sys.executable, "-m", "nnscratch", "sweep", "--dataset", "fashion", "--trials", str(trials),
    "--jobs", "2", "--sampler", "random", "--space", str(out / "space.toml"), "--output-dir", str(out),
]
result = subprocess.run(command, capture_output=True, text=True)
print(result.stdout[-3000:])
assert result.returncode == 0, result.stderr

# %% [markdown]
# Run the cell again with more `trials` and the sweep *resumes*: the finished trials stay in
# `study.journal` and only new ones are run.
#
# ## Reading the table
#
# `results.csv` holds every trial. Sorted by validation accuracy, best first:

# %%
with open(out / "results.csv") as f:
    rows = [row for row in csv.DictReader(f) if row["state"] == "COMPLETE"]
rows.sort(key=lambda row: float(row["val_accuracy"]), reverse=True)
columns = ["hidden_size", "learning_rate", "lr_decay", "num_epochs", "reg", "train_accuracy", "val_accuracy"]
print(" ".join(f"{c:>14s}" for c in columns))
for row in rows:
    print(" ".join(f"{float(row[c]):14.4g}" for c in columns))
assert rows and float(rows[0]["val_accuracy"]) > 0.7

# %% [markdown]
# Plot validation accuracy against each hyperparameter. A clear trend says the
# hyperparameter matters; a flat cloud says it does not (in this range).

# %%
fig, axes = plt.subplots(1, 5, figsize=(15, 3), sharey=True)
for ax, name in zip(axes, columns[:5]):
    ax.scatter([float(r[name]) for r in rows], [float(r["val_accuracy"]) for r in rows])
    if name in ("learning_rate", "reg"):
        ax.set_xscale("log")
    ax.set_xlabel(name)
axes[0].set_ylabel("validation accuracy")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Only now, the test set
#
# Retrain with the best hyperparameters on all 60,000 training images and measure the test
# accuracy once. This number is what you report; the validation accuracy was used for
# choosing, so it is a little optimistic.

# %%
best = rows[0]
print({name: best[name] for name in columns[:5]})
(x_train, t_train), (x_test, t_test) = load_fashion_mnist()
if QUICK:
    x_train, t_train = x_train[:10_000], t_train[:10_000]
net = TwoLayerNet(784, int(best["hidden_size"]), 10, reg=float(best["reg"]), seed=0, dtype=np.float32)
rng = np.random.default_rng(0)
lr = float(best["learning_rate"])
for _ in range(int(best["num_epochs"])):
    for batch in np.array_split(rng.permutation(len(x_train)), len(x_train) // 100):
        grads = net.gradient(x_train[batch], t_train[batch])
        for key in net.params:
            net.params[key] -= lr * grads[key]
    lr *= float(best["lr_decay"])
print("test accuracy:", round(net.accuracy(x_test, t_test), 4))

# %% [markdown]
# ## Exercises
#
# 1. Run 16 more trials with `--sampler tpe`: Optuna's TPE sampler learns from the trials
#    so far where to look next. Is the best row better than random search's?
# 2. Narrow the space around the best trial and search again ("coarse to fine"), with a new
#    `--output-dir`: a study keeps the space it began with and refuses another one.
# 3. Make a grid space (`grid = [...]` per hyperparameter) with 16 points and run
#    `--sampler grid` (again in a new `--output-dir`). Compare its best row with 16 random trials.
# 4. Which hyperparameter matters most here? Which could you fix and forget?
#
# ## Check yourself
#
# The learning rate came out as the hyperparameter that matters most. AdaGrad and RMSprop
# adapt it per weight: each divides the step by the root of the squared gradients seen so far
# (AdaGrad, all of them; RMSprop, a decaying average). Write both in the cell below;
# `nnscratch.check` runs five steps against the package's rules and checks that the loss of a
# simple quadratic falls.

# %% tags=["check-yourself"]
class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr, self.h = lr, {}

    def update(self, params, grads):
        for key in params:
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            h += grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + 1e-7)


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr, self.decay_rate, self.h = lr, decay_rate, {}

    def update(self, params, grads):
        for key in params:
            h = self.h.setdefault(key, np.zeros_like(params[key]))
            h *= self.decay_rate
            h += (1 - self.decay_rate) * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + 1e-7)


for mine in [AdaGrad, RMSprop]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
