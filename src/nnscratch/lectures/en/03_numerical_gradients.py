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
# # 3. Numerical differentiation, gradients and gradient descent
#
# Learning means finding the weights that make the loss small. The tool is the *slope*:
# if we know which way the loss goes down, we take a small step that way. This lecture
# computes slopes numerically, shows the classic way to get it wrong, and walks downhill
# with gradient descent.

# %%
import matplotlib.pyplot as plt
import numpy as np

import nnscratch
from nnscratch import gradient_descent, numerical_diff, numerical_gradient
from nnscratch.functional import cross_entropy_error, softmax

# %% [markdown]
# ## The derivative, by a small step
#
# The derivative is the limit of $\frac{f(x+h) - f(x)}{h}$ as $h \to 0$. A computer cannot
# take a limit, so try a tiny $h$. The lecture notes' bad example uses $h = 10^{-50}$:

# %%
def function_1(x):
    return 0.01 * x**2 + 0.1 * x


def bad_numerical_diff(f, x):
    h = 1e-50
    return (f(x + h) - f(x)) / h


print(bad_numerical_diff(function_1, 5.0))

# %% [markdown]
# Zero, yet the true slope at 5 is $0.02 \cdot 5 + 0.1 = 0.2$. The reason is rounding:
# a float64 keeps about 16 significant digits, so $5 + 10^{-50}$ is stored as exactly 5,
# and $f(x + h) - f(x) = 0$. (In float32, $10^{-50}$ itself rounds to 0.)

# %%
print("5 + 1e-50 == 5:", 5.0 + 1e-50 == 5.0)
print("float32(1e-50):", np.float32(1e-50))

# %% [markdown]
# Two fixes: a step that is small but not too small ($h = 10^{-4}$), and a *central*
# difference $\frac{f(x+h) - f(x-h)}{2h}$, whose error shrinks like $h^2$ instead of $h$.

# %%
def my_numerical_diff(f, x):
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)


for x0, expected in [(5.0, 0.1999999999990898), (10.0, 0.2999999999986347)]:
    ours, library = my_numerical_diff(function_1, x0), numerical_diff(function_1, x0)
    print(f"x = {x0:4}: ours {ours!r}  nnscratch {library!r}  exact {0.02 * x0 + 0.1:.1f}")
    assert ours == library == expected

# %% [markdown]
# The slope is the slope of the tangent line. Plot $f$ with its tangents at 5 and 10:

# %%
xs = np.arange(0.0, 20.0, 0.1)
plt.plot(xs, function_1(xs), label="f(x)")
for x0 in (5.0, 10.0):
    slope = numerical_diff(function_1, x0)
    plt.plot(xs, slope * (xs - x0) + function_1(x0), linestyle="--", label=f"tangent at {x0:g}")
plt.xlabel("x")
plt.legend()
plt.show()

# %% [markdown]
# ## Partial derivatives and the gradient
#
# For $f(x_0, x_1) = x_0^2 + x_1^2$ there is one slope per variable. Hold the others fixed
# and differentiate along one: a *partial derivative*. All of them together form the
# *gradient* $\left(\frac{\partial f}{\partial x_0}, \frac{\partial f}{\partial x_1}\right)$.

# %%
def function_2(x):
    return np.sum(x**2)


grad = numerical_gradient(function_2, np.array([3.0, 4.0]))
print(grad.tolist())
assert grad.tolist() == [6.00000000000378, 7.999999999999119]

# %% [markdown]
# The gradient points where $f$ rises fastest; minus the gradient points downhill. Drawn
# on a grid, the arrows all point away from the minimum at (0, 0):

# %%
g0, g1 = np.meshgrid(np.arange(-2, 2.5, 0.5), np.arange(-2, 2.5, 0.5))
arrows = np.array([numerical_gradient(function_2, np.array([a, b])) for a, b in zip(g0.ravel(), g1.ravel())])
plt.quiver(g0, g1, -arrows[:, 0], -arrows[:, 1], angles="xy")
plt.title("minus the gradient of $x_0^2 + x_1^2$")
plt.gca().set_aspect("equal")
plt.show()

# %% [markdown]
# ## Gradient descent
#
# Repeat: $x \leftarrow x - \eta \nabla f(x)$. The step size $\eta$ is the *learning rate*.
# From $(-3, 4)$ with $\eta = 0.1$ for 20 steps:

# %%
x_end, path = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=20)
print("end point:", x_end.round(4))
assert np.allclose(x_end, [-0.0346, 0.0461], atol=1e-4)

# %% [markdown]
# The learning rate matters. Too large ($\eta = 10$) and each step overshoots further;
# too small ($\eta = 10^{-10}$) and nothing moves.

# %%
fig, ax = plt.subplots(figsize=(5, 5))
circle = np.linspace(0, 2 * np.pi, 100)
for radius in (1, 2, 3, 4, 5):
    ax.plot(radius * np.cos(circle), radius * np.sin(circle), color="lightgray", linewidth=0.8)
for lr in (0.1, 10.0, 1e-10):
    end, before_each = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=lr, step_num=20)
    points = np.vstack([before_each, end])
    print(f"lr = {lr:g}: ends at {end}")
    ax.plot(points[:, 0], points[:, 1], "o-", markersize=3, label=f"lr = {lr:g}")
ax.set(xlim=(-5, 5), ylim=(-5, 5), xlabel="$x_0$", ylabel="$x_1$")
ax.legend()
plt.show()

# %% [markdown]
# ## The gradient of a network's loss
#
# The same tool works for a loss. The lecture notes' simpleNet has a 2x3 weight matrix
# $W$, one input $x = (0.6, 0.9)$ and the label $t = (0, 0, 1)$. The loss is a function of
# $W$; its gradient has the shape of $W$ and says how the loss changes with each weight.

# %%
rng = np.random.default_rng(0)
W = rng.normal(size=(2, 3))
x_in, t_in = np.array([0.6, 0.9]), np.array([0, 0, 1])


def loss(W):
    return cross_entropy_error(softmax(x_in @ W), t_in)


dW = numerical_gradient(loss, W)
print("loss", round(loss(W), 4))
print("dW\n", dW.round(4))

# %% [markdown]
# Moving $W$ a little against `dW` should lower the loss:

# %%
print("after one step:", round(loss(W - 0.5 * dW), 4))
assert loss(W - 0.5 * dW) < loss(W)

# %% [markdown]
# ## Exercises
#
# 1. Try $h = 10^{-1}, 10^{-4}, 10^{-8}, 10^{-12}$ in the central difference at $x = 5$.
#    Plot the error against $h$ on log axes. Which $h$ is best, and why does the error rise
#    again for tiny $h$?
# 2. Run gradient descent with $\eta = 0.5$, $0.9$, $1.0$ and $1.1$. What happens at 1.0?
# 3. Write the exact derivative of $x_0^2 + x_1^2$ and compare it with the numerical one.
# 4. Each row of `dW` sums to zero. Why?
#
# ## Check yourself
#
# Here are `numerical_diff` and `numerical_gradient` as you would write them: a central
# difference with $h = 10^{-4}$, and one such difference per element of `x`, putting each
# element back afterwards. `nnscratch.check` compares them with the package's: the values,
# whether the difference is really central, integer input, any shape of `x`, and whether `x`
# is left as it was. Try $h = 10^{-50}$ or a forward difference and run the cell again.

# %% tags=["check-yourself"]
def numerical_diff(f, x):
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x):
    h = 1e-4
    x = np.asarray(x, dtype=float)  # an int array could not hold x + h
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        kept = x[i]
        x[i] = kept + h
        f_plus = f(x)
        x[i] = kept - h
        f_minus = f(x)
        x[i] = kept  # put the value back: the caller's array must not change
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


for mine in [numerical_diff, numerical_gradient]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
