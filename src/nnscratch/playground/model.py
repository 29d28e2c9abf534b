"""The page's network and optimizer, built from the library's own layers, and one epoch of training.

The exported script (:mod:`nnscratch.playground.export`) writes out these same steps with the
public API, so a run on the page and the script's run are one computation.
"""

import numpy as np

from nnscratch.functional import softmax
from nnscratch.init import he, xavier
from nnscratch.layers import ACTIVATIONS, Affine, Dropout
from nnscratch.models import Sequential
from nnscratch.optim import OPTIMIZERS

RELU_FAMILY = ("relu", "leaky_relu", "elu")  # He initialisation; Xavier for the rest


def init_rng(seed):
    """The generator for weights and dropout masks: ``default_rng([seed, 1])``."""
    return np.random.default_rng([seed, 1])


def shuffle_rng(seed):
    """The generator for the epochs' batch order: ``default_rng([seed, 2])``."""
    return np.random.default_rng([seed, 2])


def build_model(config):
    """``Affine -> activation -> [Dropout]`` per hidden layer, then ``Affine``, with softmax loss.

    Parameters
    ----------
    config : dict
        A checked configuration (:func:`~nnscratch.playground.config.check_config`):
        ``features``, ``hidden``, ``activation`` ("linear" adds no activation layer),
        ``dropout``, ``reg``, ``classes``, ``seed``.

    Returns
    -------
    Sequential
        float64, scores of shape (N, C) for inputs of shape (N, D), D = len(features).
    """
    rng = init_rng(config["seed"])
    make_weights = he if config["activation"] in RELU_FAMILY else xavier
    layers, fan_in = [], len(config["features"])
    for fan_out in config["hidden"]:
        layers.append(Affine(make_weights(rng, fan_in, fan_out), np.zeros(fan_out)))
        if config["activation"] != "linear":
            layers.append(ACTIVATIONS[config["activation"]]())
        if config["dropout"]:
            layers.append(Dropout(config["dropout"], seed=rng.spawn(1)[0]))
        fan_in = fan_out
    layers.append(Affine(make_weights(rng, fan_in, config["classes"]), np.zeros(config["classes"])))
    return Sequential(*layers, reg=config["reg"])


def build_optimizer(config):
    """The chosen optimizer at the chosen learning rate, or None for a learning rate of 0 (nothing moves)."""
    if config["lr"] == 0:
        return None
    return OPTIMIZERS[config["optimizer"]](lr=config["lr"])


def train_epoch(model, optimizer, x, t, batch_size, rng):
    """One pass over ``(x, t)`` in shuffled mini-batches; returns the number of updates.

    Parameters
    ----------
    model : Sequential
    optimizer : Optimizer or None
        None computes the gradients but changes nothing (learning rate 0).
    x : ndarray, shape (N, D)
    t : ndarray of int, shape (N,)
    batch_size : int
    rng : numpy.random.Generator
        Draws the epoch's order.
    """
    model.train()
    order = rng.permutation(len(t))
    for start in range(0, len(t), batch_size):
        batch = order[start : start + batch_size]
        grads = model.gradient(x[batch], t[batch])
        if optimizer is not None:
            optimizer.update(model.params, grads)
    return -(-len(t) // batch_size)


def hidden_outputs(model, x):
    """Forward ``x`` in evaluation mode, keeping each hidden layer's output.

    Parameters
    ----------
    model : Sequential
    x : ndarray, shape (N, D)

    Returns
    -------
    hidden : list of ndarray, shape (N, H_l)
        What each hidden layer passes on (after its activation), one per hidden layer.
    probabilities : ndarray, shape (N, C)
        Softmax of the scores.
    """
    model.eval()
    hidden, out = [], x
    for index, layer in enumerate(model.layers):
        out = layer.forward(out)
        following = model.layers[index + 1] if index + 1 < len(model.layers) else None
        if isinstance(following, Affine):  # the last thing a hidden layer does before the next Affine
            hidden.append(out)
    return hidden, softmax(out)
