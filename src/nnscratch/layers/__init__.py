"""Layers with ``forward`` and ``backward``, in the lectures' order.

Reading order: ``base`` (what a layer is), ``registry`` (the one list of
layers), ``affine``, ``activations``, ``maxout``, ``regularization``, ``losses``;
then the convolutional ones: ``im2col`` (the functions), ``conv``, ``pooling``, ``flatten``.

Every module of this package is imported here, and each layer registers
itself with ``@register``; the names below (``nnscratch.layers.Affine``, ...)
come from the registry. A new layer is one module and one ``@register`` line.
"""

import importlib
import pkgutil

from nnscratch.layers.base import Layer
from nnscratch.layers.im2col import col2im, im2col
from nnscratch.layers.registry import ACTIVATIONS, LAYERS, LOSSES, layer_class, register, unregister

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

globals().update(LAYERS)
globals().update(LOSSES)

__all__ = [
    "ACTIVATIONS",
    "LAYERS",
    "LOSSES",
    "Layer",
    "col2im",
    "im2col",
    "layer_class",
    "register",
    "unregister",
    *LAYERS,
    *LOSSES,
]
