"""Seed 004: numerical differentiation, a network's numerical gradient, gradient descent."""

import numpy as np

from nnscratch import cross_entropy_error, gradient_descent, numerical_diff, numerical_gradient, softmax


def f(x):
    return 0.01 * x**2 + 0.1 * x


print("df/dx at 5 :", numerical_diff(f, 5))  # 0.1999999999990898 (exact: 0.2)
print("df/dx at 10:", numerical_diff(f, 10))  # 0.2999999999986347 (exact: 0.3)

# simpleNet: one 2x3 weight matrix, softmax and cross-entropy.
W = np.array([[0.47355232, 0.9977393, 0.84668094], [0.85557411, 0.03563661, 0.69422093]])
x, t = np.array([0.6, 0.9]), np.array([0, 0, 1])


def loss(_):
    return cross_entropy_error(softmax(x @ W), t)


print("dL/dW =\n", numerical_gradient(loss, W))  # the function reads W itself, perturbed in place

end, path = gradient_descent(lambda v: float((v**2).sum()), np.array([-3.0, 4.0]), lr=0.1, step_num=20)
print("gradient descent from (-3, 4) ends at", end.round(4), f"after {len(path)} steps")
