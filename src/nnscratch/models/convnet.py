"""``convnet``: a convolutional network as a ``Sequential``, built from sizes (``mlp``'s sibling)."""

import numpy as np

from nnscratch.alignment import aligned
from nnscratch.layers import ACTIVATIONS, Convolution, Flatten, Pooling
from nnscratch.layers.im2col import output_size as window_positions
from nnscratch.models.mlp import INITIALIZERS, dense_layers
from nnscratch.models.sequential import Sequential
from nnscratch.validation import check_choice, check_positive_int


def convnet(
    input_shape=(1, 28, 28),
    conv=((32, 3), (64, 3)),
    hidden_sizes=(128,),
    output_size=10,
    pool=2,
    activation="relu",
    weight_init="he",
    dtype="float32",
    seed=None,
    batchnorm=False,
    dropout=0.0,
    reg=0.0,
):
    """Build ``[Convolution -> activation -> Pooling]`` per conv block, ``Flatten``, then ``mlp``'s layers.

    Each convolution keeps the image size (stride 1, ``pad = filter_size // 2`` for odd
    sizes); each max pooling divides it by ``pool``. The dense part is ``mlp``'s:
    ``Affine -> [BatchNorm] -> activation -> [Dropout]`` per hidden size, then ``Affine``.

    Parameters
    ----------
    input_shape : tuple (C, H, W), default=(1, 28, 28)
    conv : sequence of (filter_num, filter_size), default=((32, 3), (64, 3))
        One convolution block each, input side first (may be empty: an ``mlp`` on images).
    hidden_sizes : sequence of int, default=(128,)
    output_size : int, default=10
        Classes.
    pool : int, default=2
        Max pooling window and stride after each convolution; 1 for none.
    activation : str, default="relu"
        A name in ``nnscratch.layers.ACTIVATIONS``.
    weight_init : {"he", "xavier", "std"}, default="he"
        Scaled by each layer's fan-in (C * filter_size ** 2 for a convolution).
    dtype : str or numpy dtype, default="float32"
    seed : int or numpy.random.Generator, optional
        Seeds the weights and the dropout layers.
    batchnorm : bool, default=False
        BatchNorm after each hidden Affine (the dense part only).
    dropout : float, default=0.0
        Dropout ratio after each hidden dense activation (0 for none).
    reg : float, default=0.0
        L2 strength on the weights.

    Returns
    -------
    Sequential
        ``predict(x)`` maps (N, C, H, W) to scores (N, output_size).

    Examples
    --------
    >>> import numpy as np
    >>> from nnscratch import convnet
    >>> model = convnet((1, 12, 12), conv=[(4, 3)], hidden_sizes=[16], output_size=3, seed=0)
    >>> [type(layer).__name__ for layer in model.layers]
    ['Convolution', 'Relu', 'Pooling', 'Flatten', 'Affine', 'Relu', 'Affine']
    >>> model.predict(np.zeros((2, 1, 12, 12))).shape
    (2, 3)
    """
    shape = _input_shape(input_shape)
    blocks = [_conv_block(entry) for entry in conv]
    for size in hidden_sizes:
        check_positive_int(size, "hidden_sizes entries")
    check_positive_int(output_size, "output_size")
    check_positive_int(pool, "pool")
    check_choice(activation, "activation", tuple(ACTIVATIONS))
    make_weights = INITIALIZERS[check_choice(weight_init, "weight_init", tuple(INITIALIZERS))]
    dtype = np.dtype(dtype)
    rng = np.random.default_rng(seed)
    layers = []
    for filter_num, size in blocks:
        C = shape[0]
        weights = make_weights(rng, C * size * size, filter_num, dtype=dtype)
        # The transpose's reshape is a copy, made where the allocator likes: put it back on a cache line.
        filters = aligned(weights.T.reshape(filter_num, C, size, size))
        layers += [Convolution(filters, np.zeros(filter_num, dtype=dtype), pad=size // 2), ACTIVATIONS[activation]()]
        shape = (filter_num, *window_positions((1, *shape), size, size, 1, size // 2))
        if pool > 1:
            layers.append(Pooling(pool, pool, stride=pool))
            shape = (filter_num, *window_positions((1, *shape), pool, pool, pool, 0))
    layers.append(Flatten())
    layers += dense_layers(
        rng, int(np.prod(shape)), hidden_sizes, output_size, activation, weight_init, dtype, batchnorm, dropout
    )
    return Sequential(*layers, reg=reg)


def _input_shape(input_shape):
    shape = tuple(input_shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (C, H, W), got {input_shape!r}")
    return tuple(check_positive_int(size, "input_shape entries") for size in shape)


def _conv_block(entry):
    """A checked ``(filter_num, filter_size)`` pair."""
    try:
        filter_num, size = entry
    except (TypeError, ValueError):
        raise ValueError(f"each conv entry must be a pair (filter_num, filter_size), got {entry!r}") from None
    return check_positive_int(filter_num, "conv filter_num"), check_positive_int(size, "conv filter_size")
