"""Which checks each recognised name gets."""

from nnscratch.checker.dropout_checks import dropout_checks
from nnscratch.checker.function_checks import function_checks
from nnscratch.checker.layer_checks import layer_checks
from nnscratch.checker.loss_checks import loss_checks
from nnscratch.checker.network_checks import network_checks
from nnscratch.checker.numgrad_checks import numgrad_checks
from nnscratch.checker.optim_checks import optim_checks
from nnscratch.checker.softmax_loss_checks import softmax_loss_checks

BUILDERS = {
    "SoftmaxWithLoss": softmax_loss_checks,
    "Dropout": dropout_checks,
    "cross_entropy_error": loss_checks,
    "sum_squared_error": loss_checks,
    "numerical_diff": numgrad_checks,
    "numerical_gradient": numgrad_checks,
    "TwoLayerNet": network_checks,
    **dict.fromkeys(("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"), optim_checks),
    **dict.fromkeys(("step_function", "sigmoid", "relu", "tanh", "softmax"), function_checks),
    **dict.fromkeys(
        ("Affine", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Elu", "MulLayer", "AddLayer", "BatchNorm"), layer_checks
    ),
}


def checks_for(name, obj):
    """``([(check name, callable)], diagnose or None)`` for the object called ``name``."""
    return BUILDERS[name](name, obj)
