"""``mlp``: a multi-layer perceptron as a ``Sequential``, built from sizes."""

from collections.abc import Iterable

import numpy as np

from nnscratch import init
from nnscratch.layers import ACTIVATIONS, Affine, BatchNorm, Dropout, Relu
from nnscratch.models.sequential import Sequential
from nnscratch.validation import UNIT_LEFT_CLOSED, as_float_dtype, as_generator, check_choice, check_positive_int

INITIALIZERS = {"std": init.std_normal, "xavier": init.xavier, "he": init.he}


def mlp(
    input_size,
    hidden_sizes,
    output_size,
    activation="relu",
    weight_init="he",
    dtype="float32",
    seed=None,
    batchnorm=False,
    dropout=0.0,
    reg=0.0,
):
    """Build ``Affine -> [BatchNorm] -> activation -> [Dropout]`` per hidden layer, then ``Affine``.

    Parameters
    ----------
    input_size : int
        D.
    hidden_sizes : sequence of int
        H_1, ..., H_k (may be empty: a linear softmax classifier).
    output_size : int
        C.
    activation : str, default="relu"
        A name in the layer registry's ``nnscratch.layers.ACTIVATIONS`` (relu, sigmoid, tanh, ...).
    weight_init : {"he", "xavier", "std"}, default="he"
        "std" is the lectures' ``0.01 * randn``.
    dtype : str or numpy dtype, default="float32"
    seed : int or numpy.random.Generator, optional
        Seeds the weights and the dropout layers.
    batchnorm : bool, default=False
    dropout : float, default=0.0
        Dropout ratio after each hidden activation (0 for none).
    reg : float, default=0.0
        L2 strength on the weight matrices.

    Returns
    -------
    Sequential
        ``predict(x)`` gives scores of shape (N, C).

    Examples
    --------
    >>> from nnscratch import mlp
    >>> model = mlp(784, [100, 50], 10, seed=0)
    >>> model.predict(__import__("numpy").zeros((2, 784))).shape
    (2, 10)
    """
    check_positive_int(input_size, "input_size")
    check_positive_int(output_size, "output_size")
    if isinstance(hidden_sizes, str | bytes) or not isinstance(hidden_sizes, Iterable):
        raise TypeError(f"hidden_sizes must be a list of positive integers, got {hidden_sizes!r}")
    hidden_sizes = [check_positive_int(size, "hidden_sizes entries") for size in hidden_sizes]
    check_choice(activation, "activation", tuple(ACTIVATIONS))
    check_choice(weight_init, "weight_init", tuple(INITIALIZERS))
    dtype, rng = as_float_dtype(dtype), as_generator(seed)
    dropout = UNIT_LEFT_CLOSED.check(dropout, "dropout")
    sizes = [input_size, *hidden_sizes, output_size]
    try:
        layers = dense_layers(
            rng, input_size, hidden_sizes, output_size, activation, weight_init, dtype, batchnorm, dropout
        )
    except (MemoryError, ValueError) as error:  # NumPy's "array is too big" is a ValueError
        if isinstance(error, ValueError) and "too big" not in str(error) and "dimension" not in str(error):
            raise
        weights = sum(a * b for a, b in zip(sizes, sizes[1:], strict=False))
        raise ValueError(
            f"mlp with sizes {sizes} needs {weights:,} weights of {dtype}, more than this machine can hold; "
            "choose smaller input_size, hidden_sizes or output_size"
        ) from None
    return Sequential(*layers, reg=reg)


def dense_layers(rng, input_size, hidden_sizes, output_size, activation, weight_init, dtype, batchnorm, dropout):
    """The layers of :func:`mlp` (its arguments, checked), weights drawn from ``rng``; also ``convnet``'s head."""
    make_weights, dtype = INITIALIZERS[weight_init], np.dtype(dtype)
    layers, fan_in = [], input_size
    for fan_out in hidden_sizes:
        layers.append(Affine(make_weights(rng, fan_in, fan_out, dtype=dtype), np.zeros(fan_out, dtype=dtype)))
        if batchnorm:
            layers.append(BatchNorm(np.ones(fan_out, dtype=dtype), np.zeros(fan_out, dtype=dtype)))
        # A ReLU in place: its input is the new output of the layer before, which no layer keeps.
        layers.append(Relu(inplace=True) if activation == "relu" else ACTIVATIONS[activation]())
        if dropout:
            layers.append(Dropout(dropout, seed=rng.spawn(1)[0]))
        fan_in = fan_out
    layers.append(Affine(make_weights(rng, fan_in, output_size, dtype=dtype), np.zeros(output_size, dtype=dtype)))
    return layers
