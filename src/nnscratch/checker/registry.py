"""Which checks each recognised name gets."""

from nnscratch.checker import names
from nnscratch.checker.dropout_checks import dropout_checks
from nnscratch.checker.function_checks import function_checks
from nnscratch.checker.layer_checks import layer_checks
from nnscratch.checker.loss_checks import loss_checks
from nnscratch.checker.network_checks import network_checks
from nnscratch.checker.numgrad_checks import numgrad_checks
from nnscratch.checker.optim_checks import optim_checks
from nnscratch.checker.softmax_loss_checks import softmax_loss_checks

# The names come from names.py; a name with checks of its own overrides its kind's default.
SPECIAL = {
    "SoftmaxWithLoss": softmax_loss_checks,
    "Dropout": dropout_checks,
    "cross_entropy_error": loss_checks,
    "sum_squared_error": loss_checks,
    "numerical_diff": numgrad_checks,
    "numerical_gradient": numgrad_checks,
}
BUILDERS = {
    **dict.fromkeys(names.LAYERS, layer_checks),
    **dict.fromkeys(names.FUNCTIONS, function_checks),
    **dict.fromkeys(names.OPTIMIZERS, optim_checks),
    **dict.fromkeys(names.NETWORKS, network_checks),
    **SPECIAL,
}


def checks_for(name, obj):
    """``([(check name, callable)], diagnose or None)`` for the object called ``name``."""
    return BUILDERS[name](name, obj)
