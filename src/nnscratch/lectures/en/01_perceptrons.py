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
# # 1. Perceptrons and logic gates
#
# A perceptron takes a few numbers, multiplies each by a weight, adds a bias, and fires
# (outputs 1) when the sum is positive:
#
# $$y = \begin{cases} 0 & (b + w_1 x_1 + w_2 x_2 \le 0) \\ 1 & (b + w_1 x_1 + w_2 x_2 > 0) \end{cases}$$
#
# The first part is a linear function; the second, the step, is the *activation function*.
# In this lecture you will build the AND, NAND and OR gates from one perceptron each, see
# why no single perceptron can compute XOR, and then solve XOR twice: by stacking
# perceptrons, and by training a small two-layer network.
#
# Run each cell with Shift+Enter. Change a number, run it again, and look at what moves.

# %%
import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import TwoLayerNet
from nnscratch.data import make_xor
from nnscratch.perceptron import AND, NAND, OR, XOR, truth_table
from nnscratch.train import fit_full_batch

# %% [markdown]
# ## One perceptron, written out
#
# Here is the whole perceptron: a dot product, a bias, a comparison with zero.

# %%
def perceptron(x1, x2, w1, w2, b):
    total = w1 * x1 + w2 * x2 + b
    return 1 if total > 0 else 0


inputs = [(0, 0), (1, 0), (0, 1), (1, 1)]
print("x1 x2 | AND")
for x1, x2 in inputs:
    print(f" {x1}  {x2} |  {perceptron(x1, x2, 0.5, 0.5, -0.7)}")

# %% [markdown]
# With $w_1 = w_2 = 0.5$ and $b = -0.7$ the sum passes zero only when both inputs are 1:
# that is AND. The same perceptron with other numbers is a different gate:
#
# | gate | $w_1$ | $w_2$ | $b$ |
# |---|---|---|---|
# | AND | 0.5 | 0.5 | -0.7 |
# | NAND | -0.5 | -0.5 | 0.7 |
# | OR | 0.5 | 0.5 | -0.2 |
#
# The package has these gates too (`nnscratch.perceptron`). Let us check that ours agree
# with the truth tables.

# %%
gates = {
    "AND": ((0.5, 0.5, -0.7), [0, 0, 0, 1]),
    "NAND": ((-0.5, -0.5, 0.7), [1, 1, 1, 0]),
    "OR": ((0.5, 0.5, -0.2), [0, 1, 1, 1]),
}
library = {"AND": AND, "NAND": NAND, "OR": OR}
for name, ((w1, w2, b), expected) in gates.items():
    ours = [perceptron(x1, x2, w1, w2, b) for x1, x2 in inputs]
    theirs = [row[2] for row in truth_table(library[name])]
    print(f"{name:5s} ours {ours}  nnscratch {theirs}")
    assert ours == theirs == expected

# %% [markdown]
# ## What a perceptron sees: a straight line
#
# The perceptron fires on one side of the line $w_1 x_1 + w_2 x_2 + b = 0$. Below, the four
# inputs coloured by their AND, OR and XOR outputs, with the AND and OR lines drawn.

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.5))
line_x = np.linspace(-0.5, 1.5, 2)
for ax, (name, outputs) in zip(axes, [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("XOR", [0, 1, 1, 0])]):
    for (x1, x2), y in zip(inputs, outputs):
        ax.scatter(x1, x2, s=150, marker="o" if y else "x", color="tab:blue" if y else "tab:red")
    if name in gates:
        w1, w2, b = gates[name][0]
        ax.plot(line_x, -(w1 * line_x + b) / w2, color="gray")
    ax.set(title=name, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="$x_1$", ylabel="$x_2$")
plt.tight_layout()
plt.show()

# %% [markdown]
# For XOR no straight line puts the two blue circles on one side and the two red crosses
# on the other. XOR is not *linearly separable*, and a single perceptron cannot compute it.
#
# ## Stacking perceptrons: XOR = AND(NAND, OR)
#
# What one layer cannot do, two can. Feed the input to NAND and to OR, then feed their
# outputs $s_1, s_2$ to AND:

# %%
print("x1 x2 | s1=NAND s2=OR | y=AND(s1, s2)")
for x1, x2 in inputs:
    s1, s2 = NAND(x1, x2), OR(x1, x2)
    y = AND(s1, s2)
    print(f" {x1}  {x2} |    {s1}      {s2}   |      {y}")
    assert y == XOR(x1, x2) == (x1 != x2)

# %% [markdown]
# ## Learning XOR instead of designing it
#
# Above we chose the weights by hand. A neural network finds them from data. Here a
# two-layer network (2 inputs, 4 hidden units with tanh, 2 outputs with softmax) learns XOR
# by gradient descent; how that works is the subject of lectures 3 to 6. The plot shows
# which class it predicts everywhere in the plane: its boundary is no longer a straight line.

# %%
x, t = make_xor()
net = TwoLayerNet(2, 4, 2, weight_init_std=1.0, activation="tanh", seed=0)
history = fit_full_batch(net, x, t, learning_rate=0.5, iterations=2000)
print(f"loss {history[0]['loss']:.3f} -> {history[-1]['loss']:.4f}")
print("predictions:", net.predict(x).argmax(axis=1), "labels:", t)
assert net.accuracy(x, t) == 1.0

grid = np.linspace(-0.5, 1.5, 200)
gx, gy = np.meshgrid(grid, grid)
regions = net.predict(np.column_stack([gx.ravel(), gy.ravel()])).argmax(axis=1).reshape(gx.shape)
plt.contourf(gx, gy, regions, alpha=0.3, cmap="coolwarm_r")
plt.scatter(x[:, 0], x[:, 1], c=t, s=150, cmap="coolwarm_r", edgecolors="k")
plt.title("a two-layer net learned XOR")
plt.show()

# %% [markdown]
# ## Exercises
#
# 1. Find other weights for AND, for example with $b = -1.5$. How many different lines work?
# 2. Make a NOR gate (1 only when both inputs are 0) from one perceptron.
# 3. Build XOR from NAND gates only (four of them suffice).
# 4. Train the XOR net with 2 hidden units instead of 4, and with `seed=1, 2, 3`.
#    Does it always succeed? Why might it fail?
#
# ## Check yourself
#
# The perceptron's activation is the step function. Below it is written for whole NumPy
# arrays, `step_function`, and handed to `nnscratch.check`, which runs it on its own inputs and
# compares it with the package's step function, check by check. Write the body yourself (or
# change it on purpose, say `>` into `<`) and run the cell again: a failing check says what it
# saw and where to look, never the answer.

# %% tags=["check-yourself"]
def step_function(x):
    return (np.asarray(x) > 0).astype(int)


print(step_function(np.array([-1.0, 0.0, 2.0])))
report = nnscratch.check(step_function)
print(report)
assert report.passed, "step_function failed a check: read its FAIL or ERROR rows above, fix it and run again"
