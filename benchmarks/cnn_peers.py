"""The networks of the CNN benchmarks, written once as a list of steps and built three ways.

A spec is a list of tuples::

    ("conv", filters, size, pad)    ("relu",)    ("pool", size)    ("flatten",)
    ("affine", units)               ("dropout", ratio)

:func:`torch_model` builds it in PyTorch, :func:`book_model` with the book's layers
(``book_conv.py``), :func:`nnscratch_model` with nnscratch's ``Sequential``. All three start
from He-normal weights and zero biases, so that their accuracies can be compared.
"""

import numpy as np

# The book's SimpleConvNet: conv 30 5x5 - relu - pool 2x2 - affine 100 - relu - affine 10.
SIMPLE = [("conv", 30, 5, 0), ("relu",), ("pool", 2), ("flatten",), ("affine", 100), ("relu",), ("affine", 10)]
# A 3-layer CNN (two convolutions and a classifier), the kind the next chapter trains.
THREE_LAYER = [
    ("conv", 16, 3, 1), ("relu",), ("pool", 2),
    ("conv", 32, 3, 1), ("relu",), ("pool", 2),
    ("flatten",), ("affine", 10),
]  # fmt: skip


def output_shapes(spec, input_shape=(1, 28, 28)):
    """The (C, H, W) or (D,) shape after each step, and the fan-in of each weighted step."""
    shape, fan_ins, shapes = tuple(input_shape), [], []
    for step in spec:
        kind = step[0]
        if kind == "conv":
            _, filters, size, pad = step
            fan_ins.append(shape[0] * size * size)
            shape = (filters, shape[1] + 2 * pad - size + 1, shape[2] + 2 * pad - size + 1)
        elif kind == "pool":
            shape = (shape[0], shape[1] // step[1], shape[2] // step[1])
        elif kind == "flatten":
            shape = (int(np.prod(shape)),)
        elif kind == "affine":
            fan_ins.append(shape[0])
            shape = (step[1],)
        shapes.append(shape)
    return shapes, fan_ins


def he_weights(spec, input_shape=(1, 28, 28), seed=0, dtype=np.float32):
    """One (W, b) per weighted step: conv W (FN, C, FH, FW), affine W (D, M), He-normal."""
    rng = np.random.default_rng(seed)
    shapes, fan_ins = output_shapes(spec, input_shape)
    weights, previous, fans = [], tuple(input_shape), iter(fan_ins)
    for step, shape in zip(spec, shapes, strict=True):
        if step[0] == "conv":
            fan_in = next(fans)
            W = rng.standard_normal((step[1], previous[0], step[2], step[2])) * np.sqrt(2.0 / fan_in)
            weights.append((W.astype(dtype), np.zeros(step[1], dtype=dtype)))
        elif step[0] == "affine":
            fan_in = next(fans)
            W = rng.standard_normal((fan_in, step[1])) * np.sqrt(2.0 / fan_in)
            weights.append((W.astype(dtype), np.zeros(step[1], dtype=dtype)))
        previous = shape
    return weights


def torch_model(spec, weights):
    """``torch.nn.Sequential`` of the spec, with the given weights (float32)."""
    import torch
    from torch import nn

    layers, given = [], iter(weights)
    for step in spec:
        kind = step[0]
        if kind in ("conv", "affine"):
            W, b = next(given)
            if kind == "conv":
                layer = nn.Conv2d(W.shape[1], W.shape[0], W.shape[2], padding=step[3])
                layer.weight.data = torch.from_numpy(np.ascontiguousarray(W, dtype=np.float32))
            else:
                layer = nn.Linear(W.shape[0], W.shape[1])
                layer.weight.data = torch.from_numpy(np.ascontiguousarray(W.T, dtype=np.float32))
            layer.bias.data = torch.from_numpy(np.asarray(b, dtype=np.float32).copy())
            layers.append(layer)
        elif kind == "relu":
            layers.append(nn.ReLU())
        elif kind == "pool":
            layers.append(nn.MaxPool2d(step[1]))
        elif kind == "flatten":
            layers.append(nn.Flatten())
        elif kind == "dropout":
            layers.append(nn.Dropout(step[1]))
    return nn.Sequential(*layers)


def book_model(spec, weights):
    """The book's layers in a :class:`book_conv.BookConvNet`, float64 as in the book."""
    from book_conv import BookAffine, BookConvNet, BookConvolution, BookPooling, BookRelu

    layers, given = [], iter(weights)
    for step in spec:
        kind = step[0]
        if kind in ("conv", "affine"):
            W, b = (np.array(a, dtype=np.float64) for a in next(given))
            layers.append(BookConvolution(W, b, pad=step[3]) if kind == "conv" else BookAffine(W, b))
        elif kind == "relu":
            layers.append(BookRelu())
        elif kind == "pool":
            layers.append(BookPooling(step[1], step[1], stride=step[1]))
        elif kind == "dropout":
            raise ValueError("the book's conv nets have no dropout step")
        # flatten: the book's Affine flattens its input itself
    return BookConvNet(layers)


def nnscratch_model(spec, weights, seed=0):
    """nnscratch's ``Sequential`` of the spec, with the given weights."""
    from nnscratch import Sequential
    from nnscratch import layers as nn_layers

    layers, given = [], iter(weights)
    rng = np.random.default_rng(seed)
    for step in spec:
        kind = step[0]
        if kind == "conv":
            layers.append(nn_layers.Convolution(*(a.copy() for a in next(given)), pad=step[3]))
        elif kind == "affine":
            layers.append(nn_layers.Affine(*(a.copy() for a in next(given))))
        elif kind == "relu":
            layers.append(nn_layers.Relu())
        elif kind == "pool":
            layers.append(nn_layers.Pooling(step[1], step[1], stride=step[1]))
        elif kind == "flatten":
            layers.append(nn_layers.Flatten())
        elif kind == "dropout":
            layers.append(nn_layers.Dropout(step[1], seed=rng.spawn(1)[0]))
    return Sequential(*layers)
