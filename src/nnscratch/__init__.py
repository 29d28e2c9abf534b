"""nnscratch: neural networks from scratch on NumPy, every gradient checkable.

Reading order follows the lectures: ``functional`` (activations, losses),
``numgrad`` (numerical differentiation), ``perceptron`` and ``graph``
(gates, backprop by hand), ``layers``, ``models``, ``gradcheck``.
"""

from nnscratch import perceptron
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
from nnscratch.gradcheck import gradcheck
from nnscratch.graph import AddLayer, MulLayer
from nnscratch.layers import (
    Affine,
    BatchNorm,
    Dropout,
    Elu,
    LeakyRelu,
    Maxout,
    MSELoss,
    Relu,
    Sigmoid,
    SoftmaxWithLoss,
    Tanh,
)
from nnscratch.models import Sequential, SoftmaxClassifier, TwoLayerNet, mlp
from nnscratch.numgrad import gradient_descent, numerical_diff, numerical_gradient
from nnscratch.optim import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

__version__ = "0.1.0"

__all__ = [
    "AdaGrad",
    "Adam",
    "AddLayer",
    "Affine",
    "BatchNorm",
    "Dropout",
    "Elu",
    "LeakyRelu",
    "MSELoss",
    "Maxout",
    "Momentum",
    "MulLayer",
    "Nesterov",
    "RMSprop",
    "Relu",
    "SGD",
    "Sequential",
    "Sigmoid",
    "SoftmaxClassifier",
    "SoftmaxWithLoss",
    "Tanh",
    "TwoLayerNet",
    "check",
    "cross_entropy_error",
    "elu",
    "gradcheck",
    "gradient_descent",
    "leaky_relu",
    "mlp",
    "numerical_diff",
    "numerical_gradient",
    "perceptron",
    "relu",
    "sigmoid",
    "softmax",
    "step_function",
    "sum_squared_error",
    "tanh",
]

# Last: the checker compares learners' code with everything imported above.
from nnscratch.checker import check  # noqa: E402
