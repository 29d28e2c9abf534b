"""Full-batch gradient descent, the loop of seed 000's spiral experiment."""

import math

import numpy as np

from nnscratch.optim import SGD
from nnscratch.train.trainer import DivergenceError
from nnscratch.validation import POSITIVE, check_positive_int


def fit_full_batch(model, x, t, learning_rate, iterations, log_every=None, on_log=None, validation_data=None):
    """Train ``model`` by ``param -= learning_rate * grad`` on the whole data set.

    Parameters
    ----------
    model : Network
        Updated in place, by ``model.loss_and_grads`` and ``SGD(learning_rate).update``;
        left in evaluation mode.
    x : ndarray, shape (N, D)
    t : ndarray, shape (N,) or (N, C)
    learning_rate : float
        Step size (seed 000 calls it ``step_size``).
    iterations : int
    log_every : int, optional
        Record loss and accuracies every this many iterations (and at the
        last one); default: every 1% of the run.
    on_log : callable, optional
        Called with each recorded dict, to print progress.
    validation_data : tuple (x_test, t_test), optional
        Also record ``test_accuracy`` on it.

    Returns
    -------
    list of dict
        ``{"iteration", "loss", "train_accuracy", "test_accuracy"}`` per record
        (``test_accuracy`` is None without ``validation_data``); the loss is
        the one before that iteration's update, as in seed 000's printout.

    Raises
    ------
    DivergenceError
        When the loss becomes NaN or infinite (a learning rate far too large),
        naming the iteration and the learning rate, before that update.
    """
    iterations = check_positive_int(iterations, "iterations")
    optimizer = SGD(POSITIVE.check(learning_rate, "learning_rate"))  # param -= learning_rate * grad
    log_every = log_every or max(iterations // 100, 1)
    history = []
    for i in range(iterations + 1):
        if i % log_every == 0 or i == iterations:
            history.append(_record(model, i, x, t, validation_data))
            if on_log:
                on_log(history[-1])
        if i == iterations:
            break
        with np.errstate(over="ignore", invalid="ignore"):  # reported once, below, in words
            loss, _, grads = model.loss_and_grads(x, t)
        if not math.isfinite(float(loss)):  # one full batch per iteration: an iteration is an epoch
            raise DivergenceError(
                f"the loss became {float(loss)} at iteration (epoch) {i + 1}; "
                f"try a smaller learning rate (now {learning_rate:g})"
            )
        optimizer.update(model.params, grads)
    model.eval()
    return history


def _record(model, iteration, x, t, validation_data):
    """Loss and accuracies now, in evaluation mode (before this iteration's update)."""
    return {
        "iteration": iteration,
        "loss": model.loss(x, t),
        "train_accuracy": model.accuracy(x, t),
        "test_accuracy": model.accuracy(*validation_data) if validation_data else None,
    }
