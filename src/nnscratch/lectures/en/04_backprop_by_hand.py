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
# # 4. Computational graphs and backprop by hand
#
# Numerical gradients cost two evaluations of the loss per weight: for a network with a
# million weights, two million forward passes per step. Backpropagation gets all of them
# for the price of about one forward and one backward pass. The idea is easiest to see on
# a *computational graph*: a calculation drawn as nodes, each doing one small operation.
#
# Forward, values flow left to right. Backward, each node receives the gradient of the
# final output with respect to its own output (the *upstream* gradient), multiplies it by
# its *local* derivative, and passes the result to its inputs. That is the chain rule, one
# node at a time.

# %%
import numpy as np

import nnscratch
from nnscratch import numerical_gradient
from nnscratch.graph import AddLayer, MulLayer
from nnscratch.layers import Sigmoid

# %% [markdown]
# ## The chain rule
#
# $z = t^2$ with $t = x + y$: $\frac{\partial z}{\partial x} = \frac{\partial z}{\partial t}
# \frac{\partial t}{\partial x} = 2t \cdot 1$. The lecture notes' example: $z = 4y^2$ with
# $y = 5x + 3$ gives $\frac{dz}{dx} = 8y \cdot 5 = 40(5x + 3)$.

# %%
def z_of_x(x):
    y = 5 * x + 3
    return 4 * y**2


x0 = 1.0
dz_dy, dy_dx = 8 * (5 * x0 + 3), 5
print("chain rule:", dz_dy * dy_dx, "  formula 40(5x + 3):", 40 * (5 * x0 + 3))
print("numerical: ", numerical_gradient(lambda v: z_of_x(v[0]), np.array([x0]))[0])

# %% [markdown]
# ## Two nodes: multiply and add
#
# A multiply node $out = xy$ has local derivatives $y$ (for $x$) and $x$ (for $y$): it
# *swaps* its inputs. An add node passes the upstream gradient unchanged to both inputs.
# Here are both as classes; the package's `MulLayer` and `AddLayer` are the same.

# %%
class MyMul:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class MyAdd:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout, dout


# %% [markdown]
# ## Example 1: buying apples and oranges
#
# Two apples at 100 each, three oranges at 150 each, 10% tax. Build the graph from nodes,
# run it forward, then backward from $\frac{\partial\,price}{\partial\,price} = 1$.

# %%
mul_apple, mul_orange, add_fruit, mul_tax = MyMul(), MyMul(), MyAdd(), MyMul()

apple_price = mul_apple.forward(100, 2)
orange_price = mul_orange.forward(150, 3)
price = mul_tax.forward(add_fruit.forward(apple_price, orange_price), 1.1)

dall, dtax = mul_tax.backward(1)
dapple_price, dorange_price = add_fruit.backward(dall)
dapple, dapple_num = mul_apple.backward(dapple_price)
dorange, dorange_num = mul_orange.backward(dorange_price)

print(f"price {price:.0f}")
print(f"dApple {dapple:.1f}, dApple_num {dapple_num:.0f}, dOrange {dorange:.1f}, "
      f"dOrange_num {dorange_num:.0f}, dTax {dtax:.0f}")
assert round(price, 6) == 715
assert np.allclose([dapple, dapple_num, dorange, dorange_num, dtax], [2.2, 110, 3.3, 165, 650])

# %% [markdown]
# Read the gradients as sensitivities: one more won per apple raises the price by 2.2
# (two apples, plus tax); the tax rate has by far the biggest lever, 650.
#
# ## Example 2: $f = (x + y)z$
#
# At $x = -2, y = 5, z = -4$: $q = x + y = 3$, $f = qz = -12$. Backward: the multiply node
# sends $z = -4$ to $q$ and $q = 3$ to $z$; the add node copies $-4$ to both $x$ and $y$.

# %%
add, mul = AddLayer(), MulLayer()
f = mul.forward(add.forward(-2.0, 5.0), -4.0)
dq, dz = mul.backward(1.0)
dx, dy = add.backward(dq)
print(f"f = {f}, df/dx = {dx}, df/dy = {dy}, df/dz = {dz}")
assert (f, dx, dy, dz) == (-12.0, -4.0, -4.0, 3.0)

# %% [markdown]
# ## Example 3: a sigmoid neuron
#
# $f(w, x) = \sigma(w_0 x_0 + w_1 x_1 + w_2)$ at $w = (2, -3, -3)$, $x = (-1, -2)$. The
# sigmoid's local derivative is $\sigma(1 - \sigma)$: the node reuses its own output.

# %%
m0, m1, a0, a1, sig = MulLayer(), MulLayer(), AddLayer(), AddLayer(), Sigmoid()
w, xv = (2.0, -3.0, -3.0), (-1.0, -2.0)
dot = a0.forward(m0.forward(w[0], xv[0]), m1.forward(w[1], xv[1]))
out = sig.forward(np.array(a1.forward(dot, w[2])))

ddot, dw2 = a1.backward(sig.backward(np.array(1.0)))
dp0, dp1 = a0.backward(ddot)
dw0, dx0 = m0.backward(dp0)
dw1, dx1 = m1.backward(dp1)
dw_neuron, dx_neuron = np.array([dw0, dw1, dw2]), np.array([dx0, dx1])
print("f  =", round(float(out), 4))
print("dw =", dw_neuron.round(4), " dx =", dx_neuron.round(4))
assert round(float(out), 4) == 0.7311
assert np.allclose(dw_neuron, [-0.1966, -0.3932, 0.1966], atol=1e-4)
assert np.allclose(dx_neuron, [0.3932, -0.5898], atol=1e-4)

# %% [markdown]
# ## Example 4: $f(x, W) = \lVert Wx \rVert^2$, with matrices
#
# With $q = Wx$, $f = \sum_i q_i^2$. Backward: $\frac{\partial f}{\partial q} = 2q$, then
# $\frac{\partial f}{\partial W} = 2q\,x^T$ (an outer product, the shape of $W$) and
# $\frac{\partial f}{\partial x} = W^T 2q$. Every gradient has the shape of its variable.

# %%
W = np.array([[0.1, 0.5], [-0.3, 0.8]])
xw = np.array([0.2, 0.4])
q = W @ xw
f_norm = q @ q
dq = 2 * q
dW, dxw = np.outer(dq, xw), W.T @ dq
print("f =", round(f_norm, 3))
print("dW =\n", dW.round(3))
print("dx =", dxw.round(3))
assert round(f_norm, 3) == 0.116
assert np.allclose(dW, [[0.088, 0.176], [0.104, 0.208]])
assert np.allclose(dxw, [-0.112, 0.636])

# %% [markdown]
# Backprop and numerical differentiation must agree. They do:

# %%
print(numerical_gradient(lambda m: np.sum((m @ xw) ** 2), W.copy()).round(3))
assert np.allclose(numerical_gradient(lambda m: np.sum((m @ xw) ** 2), W.copy()), dW)

# %% [markdown]
# ## Exercises
#
# 1. In the shopping graph, buy 4 apples at 90 each. Predict `dOrange` before you run it.
# 2. Add a node for a discount of 50 won taken off before tax. What is its gradient?
# 3. Write a `MyDivide` node ($out = x / y$) with its backward, and check it numerically.
# 4. In example 4, why is `dW` an outer product? Write out one element by hand.
#
# ## Check yourself
#
# `nnscratch.check` knows the multiply and add nodes as `MulLayer` and `AddLayer`. The cell
# gives your `MyMul` and `MyAdd` those names (the classes are yours, unchanged) and checks
# their forward, their backward against numerical differentiation, and that they leave
# `dout` alone. Swap `self.x` and `self.y` in `MyMul.backward` and run it again.

# %% tags=["check-yourself"]
class MulLayer(MyMul):
    pass


class AddLayer(MyAdd):
    pass


for mine in [MulLayer, AddLayer]:
    report = nnscratch.check(mine)
    print(report)
    assert report.passed, f"{mine.__name__} failed a check: read its FAIL or ERROR rows above, fix it and run again"
