"""The four backprop-by-hand examples of SPEC 1.3, built from graph nodes."""

import numpy as np

from nnscratch.graph import AddLayer, MulLayer
from nnscratch.layers import Sigmoid


def shopping(apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1):
    """Price of apples and oranges with tax, and the gradient for every input."""
    mul_apple, mul_orange, add_fruit, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    apple_price = mul_apple.forward(apple, apple_num)
    orange_price = mul_orange.forward(orange, orange_num)
    price = mul_tax.forward(add_fruit.forward(apple_price, orange_price), tax)

    dall_price, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add_fruit.backward(dall_price)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    grads = {"apple": dapple, "apple_num": dapple_num, "orange": dorange, "orange_num": dorange_num, "tax": dtax}
    return price, grads


def add_then_multiply(x=-2.0, y=5.0, z=-4.0):
    """``f = (x + y) * z`` and ``(df/dx, df/dy, df/dz)``."""
    add, mul = AddLayer(), MulLayer()
    f = mul.forward(add.forward(x, y), z)
    dq, dz = mul.backward(1.0)
    dx, dy = add.backward(dq)
    return f, {"x": dx, "y": dy, "z": dz}


def sigmoid_neuron(w=(2.0, -3.0, -3.0), x=(-1.0, -2.0)):
    """``f = sigmoid(w0 x0 + w1 x1 + w2)`` with gradients for w (3,) and x (2,)."""
    mul0, mul1, add0, add1, sig = MulLayer(), MulLayer(), AddLayer(), AddLayer(), Sigmoid()
    dot = add0.forward(mul0.forward(w[0], x[0]), mul1.forward(w[1], x[1]))
    f = sig.forward(np.array(add1.forward(dot, w[2])))
    ddot, dw2 = add1.backward(sig.backward(np.array(1.0)))
    dp0, dp1 = add0.backward(ddot)
    dw0, dx0 = mul0.backward(dp0)
    dw1, dx1 = mul1.backward(dp1)
    return float(f), {"w": np.array([dw0, dw1, dw2], dtype=float), "x": np.array([dx0, dx1], dtype=float)}


def squared_norm_of_product(W=((0.1, 0.5), (-0.3, 0.8)), x=(0.2, 0.4)):
    """``f = ||W x||^2``;  ``q = W x``, ``dq = 2 q``, ``dW = outer(dq, x)``, ``dx = W.T dq``."""
    W, x = np.asarray(W, dtype=float), np.asarray(x, dtype=float)
    q = W @ x
    f = float(q @ q)
    dq = 2 * q
    return f, {"W": np.outer(dq, x), "x": W.T @ dq}


def chain_rule(x):
    """``z = 4 y^2`` with ``y = 5x + 3``: returns ``(z, dz/dx)``.

    By the chain rule ``dz/dx = dz/dy * dy/dx = 8y * 5 = 40 (5x + 3)``.
    """
    y = 5 * x + 3
    dz_dy, dy_dx = 8 * y, 5
    return 4 * y**2, dz_dy * dy_dx
