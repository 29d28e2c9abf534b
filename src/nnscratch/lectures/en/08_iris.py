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
# # 8. Iris: one softmax layer, trained
#
# In lecture 2 we pushed one Iris flower through a layer whose weights were given. Now we
# learn those weights from 150 flowers: 4 measurements each (sepal length and width, petal
# length and width, in cm), 3 species. The model is a single 4x3 layer with softmax, the
# smallest network there is; we watch its weights settle, and see what the batch size does.

# %%
import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import SGD, SoftmaxClassifier
from nnscratch.data import load_iris, stratified_split
from nnscratch.data.iris import CLASSES, FEATURES
from nnscratch.train import Trainer

# %% [markdown]
# ## The data
#
# 50 flowers per species. Petal length against petal width already separates setosa from
# the other two; versicolor and virginica overlap a little.

# %%
x, t = load_iris()
print(x.shape, t.shape, np.bincount(t))
for k, name in enumerate(CLASSES):
    plt.scatter(x[t == k, 2], x[t == k, 3], label=name, s=15)
plt.xlabel(FEATURES[2])
plt.ylabel(FEATURES[3])
plt.legend()
plt.show()

# %% [markdown]
# Hold back 30 flowers (10 per species) to test on; train on the other 120.

# %%
train, test = stratified_split(t, test_fraction=0.2, seed=0)
x_train, t_train, x_test, t_test = x[train], t[train], x[test], t[test]
print(len(train), "training rows,", len(test), "test rows")

# %% [markdown]
# ## Training, with the weights every 1000 epochs
#
# All 120 rows form one batch, so an epoch is a single gradient step. SGD with learning rate
# 0.01, 5000 epochs. Every 1000 epochs we print the weight matrix $W$ (4 features x 3
# classes): watch the numbers stop moving.

# %%
epochs = 5000
model = SoftmaxClassifier(4, 3, seed=0)


def print_weights(record, trainer):
    if record["epoch"] % 1000 == 0:
        print(f"epoch {record['epoch']}: loss {record['loss']:.4f}, "
              f"train accuracy {record['train_accuracy']:.4f}, test accuracy {record['test_accuracy']:.4f}")
        print("W =\n", np.array2string(model.params["W"], precision=4), "\n")


trainer = Trainer(model, SGD(0.01), batch_size=120, seed=0, progress="none", on_epoch_end=print_weights)
history = trainer.fit(x_train, t_train, epochs=epochs, validation_data=(x_test, t_test))
assert history[-1]["test_accuracy"] >= 0.95

# %% [markdown]
# Read the weights column by column: each column scores one species. The petal features
# (rows 3 and 4) carry large weights of opposite sign for setosa and virginica: long, wide
# petals argue for virginica and against setosa.

# %%
plt.plot([r["epoch"] for r in history], [r["loss"] for r in history])
plt.xlabel("epoch")
plt.ylabel("loss")
plt.title("Iris: softmax layer, full batch")
plt.show()

# %% [markdown]
# ## Batch size against epochs
#
# An epoch means "every training row seen once". With batch size $B$ an epoch is
# $\lceil 120 / B \rceil$ steps: smaller batches take more (noisier) steps per epoch, so
# they need fewer epochs but more work per epoch.

# %%
short = 500
curves = {}
for batch_size in (120, 30, 10):
    m = SoftmaxClassifier(4, 3, seed=0)
    h = Trainer(m, SGD(0.01), batch_size=batch_size, seed=0, progress="none").fit(x_train, t_train, epochs=short)
    curves[batch_size] = h
    steps = -(-120 // batch_size)
    print(f"batch {batch_size:3d}: {steps:2d} steps/epoch, loss after {short} epochs {h[-1]['loss']:.4f}")
for batch_size, h in curves.items():
    plt.plot([r["loss"] for r in h], label=f"batch size {batch_size}")
plt.xlabel("epoch")
plt.ylabel("loss")
plt.legend()
plt.show()

# %% [markdown]
# ## Exercises
#
# 1. Train with learning rate 0.1 and 1.0. Does 5000 epochs still make sense?
# 2. Use only the two sepal features. How far does the accuracy drop, and why?
# 3. Plot the loss of each batch size against the number of *steps* instead of epochs.
# 4. Put your trained $W$ and $b$ into the forward pass of lecture 2 for the flower
#    $(6.3, 2.7, 4.9, 1.8)$. Which probabilities do you get now?
#
# ## Check yourself
#
# Every 1000 epochs above, the trainer's `SGD` moved each weight by
# $-\eta \cdot \text{gradient}$. Write that update rule as a class with
# `update(params, grads)`, the contract all optimizers share; `nnscratch.check` runs five
# steps against the package's rule, checks that the arrays are changed in place, and that the
# loss of a simple quadratic falls.

# %% tags=["check-yourself"]
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


report = nnscratch.check(SGD)
print(report)
assert report.passed, "SGD failed a check: read its FAIL or ERROR rows above, fix it and run again"
