"""Optimizers (one contract: ``update(params, grads)``) and learning-rate schedules.

Reading order: ``base``, ``sgd``, ``adaptive``, ``schedules``.
"""

from nnscratch.optim.adaptive import AdaGrad, Adam, RMSprop
from nnscratch.optim.base import Optimizer
from nnscratch.optim.schedules import CosineAnnealing, ExponentialDecay, StepDecay
from nnscratch.optim.sgd import SGD, Momentum, Nesterov

OPTIMIZERS = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSprop,
    "adam": Adam,
}

__all__ = [
    "OPTIMIZERS",
    "AdaGrad",
    "Adam",
    "CosineAnnealing",
    "ExponentialDecay",
    "Momentum",
    "Nesterov",
    "Optimizer",
    "RMSprop",
    "SGD",
    "StepDecay",
]
