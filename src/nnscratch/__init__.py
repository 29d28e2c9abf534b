"""nnscratch: neural networks from scratch on NumPy, every gradient checkable.

Reading order follows the lectures: ``functional`` (activations, losses),
``numgrad`` (numerical differentiation), ``perceptron`` and ``graph``
(gates, backprop by hand), ``layers``, ``models``, ``gradcheck``.
``ARCHITECTURE.md`` at the repository root shows how the parts fit.
"""

import nnscratch.openblas  # noqa: F401 (first, before NumPy is loaded: see the module)
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
from nnscratch.layers import LAYERS, LOSSES, col2im, im2col
from nnscratch.models import Sequential, SimpleConvNet, SoftmaxClassifier, TwoLayerNet, convnet, mlp
from nnscratch.numgrad import gradient_descent, numerical_diff, numerical_gradient
from nnscratch.optim import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

__version__ = "0.1.0"

__all__ = [
    "AdaGrad",
    "Adam",
    "AddLayer",
    "Momentum",
    "MulLayer",
    "Nesterov",
    "RMSprop",
    "SGD",
    "Sequential",
    "SimpleConvNet",
    "SoftmaxClassifier",
    "TwoLayerNet",
    "check",
    "col2im",
    "convnet",
    "cross_entropy_error",
    "elu",
    "gradcheck",
    "gradient_descent",
    "im2col",
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

# Every registered layer and loss (Affine, Relu, ..., SoftmaxWithLoss) is also a top-level name,
# read from the one layer registry, so that a new layer needs no line here.
globals().update(LAYERS)
globals().update(LOSSES)
__all__ += [*LAYERS, *LOSSES]

# Last: the checker compares learners' code with everything imported above.
from nnscratch.checker import check  # noqa: E402
