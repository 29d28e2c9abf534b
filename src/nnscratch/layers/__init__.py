"""Layers with ``forward`` and ``backward``, in the lectures' order.

Reading order: ``base`` (what a layer is), ``affine``, ``activations``,
``maxout``, ``regularization``, ``losses``.
"""

from nnscratch.layers.activations import ACTIVATIONS, Elu, LeakyRelu, Relu, Sigmoid, Tanh
from nnscratch.layers.affine import Affine
from nnscratch.layers.base import Layer
from nnscratch.layers.losses import MSELoss, SoftmaxWithLoss
from nnscratch.layers.maxout import Maxout
from nnscratch.layers.regularization import BatchNorm, Dropout

__all__ = [
    "ACTIVATIONS",
    "Affine",
    "BatchNorm",
    "Dropout",
    "Elu",
    "Layer",
    "LeakyRelu",
    "Maxout",
    "MSELoss",
    "Relu",
    "Sigmoid",
    "SoftmaxWithLoss",
    "Tanh",
]
