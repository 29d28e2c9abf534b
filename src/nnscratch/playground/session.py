"""One page's run: its configuration, data, network, optimizer and epoch count.

A :class:`Session` is touched by one thread only (its trainer), so it needs no lock.
"""

from nnscratch.playground.config import ACTIVATION_NAMES, DATASETS, FEATURES, OPTIMIZER_NAMES, check_config
from nnscratch.playground.datasets import input_features, make_dataset
from nnscratch.playground.frames import encode_frame
from nnscratch.playground.model import build_model, build_optimizer, shuffle_rng, train_epoch

# What the page offers in its lists, sent with every ``points`` message.
CHOICES = {"datasets": DATASETS, "features": FEATURES, "activations": ACTIVATION_NAMES, "optimizers": OPTIMIZER_NAMES}


class Session:
    """Everything one page trains, rebuilt from a configuration.

    Parameters
    ----------
    config : dict, optional
        Any subset of :data:`~nnscratch.playground.config.DEFAULTS`.

    Attributes
    ----------
    config : dict
        The checked configuration.
    x_train, x_test : ndarray of float64, shape (N, 2)
        Points on the plane.
    t_train, t_test : ndarray of int64, shape (N,)
    inputs_train, inputs_test : ndarray of float64, shape (N, D)
        The chosen input features of those points.
    model : Sequential
    optimizer : Optimizer or None
        None when the learning rate is 0.
    epoch : int
        Epochs trained since the last reset.
    run : int
        Counts resets; frames and points carry it, so the page can drop a frame of a run it has left.
    """

    def __init__(self, config=None):
        self.run = 0
        self.config = None
        self.reset(config or {})

    def reset(self, config=None):
        """Start over at epoch 0: new data and fresh weights, from ``config`` or the current one."""
        self.config = check_config(self.config if config is None else config)
        c = self.config
        self.x_train, self.t_train, self.x_test, self.t_test = make_dataset(
            c["dataset"], c["classes"], c["noise"], c["split"], c["points"], c["seed"]
        )
        self.inputs_train = input_features(self.x_train, c["features"])
        self.inputs_test = input_features(self.x_test, c["features"])
        self.model = build_model(c)
        self.optimizer = build_optimizer(c)
        self.rng = shuffle_rng(c["seed"])
        self.epoch = 0
        self.run += 1

    def train_epoch(self):
        """Train one epoch and count it."""
        train_epoch(self.model, self.optimizer, self.inputs_train, self.t_train, self.config["batch"], self.rng)
        self.epoch += 1

    def metrics(self):
        """Loss (data loss plus the L2 term) and accuracy on both sets, in evaluation mode."""
        self.model.eval()
        return {
            "run": self.run,
            "epoch": self.epoch,
            "loss_train": self.model.loss(self.inputs_train, self.t_train),
            "loss_test": self.model.loss(self.inputs_test, self.t_test),
            "accuracy_train": self.model.accuracy(self.inputs_train, self.t_train),
            "accuracy_test": self.model.accuracy(self.inputs_test, self.t_test),
        }

    def points(self):
        """The ``points`` message: train and test points as ``[x1, x2, class]`` rows, for drawing."""
        return {
            "type": "points",
            "run": self.run,
            "train": [[float(a), float(b), int(c)] for (a, b), c in zip(self.x_train, self.t_train, strict=True)],
            "test": [[float(a), float(b), int(c)] for (a, b), c in zip(self.x_test, self.t_test, strict=True)],
            "config": self.config,
            "choices": CHOICES,
        }

    def frame(self):
        """The two messages of a frame (see :mod:`nnscratch.playground.frames`)."""
        return encode_frame(self.metrics(), self.model, self.config["features"])
