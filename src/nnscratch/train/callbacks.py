"""Callbacks: code the Trainer calls at the end of each epoch and of training.

A callback has ``on_epoch_end(record, trainer) -> bool`` (True asks to stop)
and ``on_train_end(trainer)``; :class:`Callback` gives both as no-ops. The
Trainer calls ``on_epoch_end`` after the epoch's record is complete and before
its checkpoint is written, so a checkpoint includes what the callbacks kept.
"""

from nnscratch import backend
from nnscratch.validation import NONNEGATIVE, check_choice, check_positive_int

# How an epoch record's keys read in a message.
WORDS = {"test_accuracy": "validation accuracy", "loss": "training loss", "train_accuracy": "training accuracy"}


class Callback:
    """Base class: override what you need."""

    def on_epoch_end(self, record, trainer):
        """Called with the epoch's record (``epoch``, ``loss``, ...); return True to stop training."""
        return False

    def on_train_end(self, trainer):
        """Called once when ``fit`` ends, before the final weights are saved."""


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    The one early-stopping rule of nnscratch, used by ``Trainer(patience=...)``
    and by the scikit-learn wrapper (``early_stopping``, ``n_iter_no_change``, ``tol``).

    Parameters
    ----------
    patience : int
        Epochs without improvement before stopping.
    monitor : {"test_accuracy", "loss", "train_accuracy"}, default="test_accuracy"
        The record's key to watch; accuracies must rise, the loss must fall.
    min_delta : float, default=0.0
        An improvement must exceed this.
    restore_best : bool, default=True
        Keep a copy of the weights at the best epoch and put them back when training ends.

    Attributes
    ----------
    best : float or None
        The best value seen so far.
    best_epoch : int
        Its epoch (0 before any).
    best_weights : dict[str, ndarray] or None
        Host copies of the model's state arrays at ``best_epoch`` (with ``restore_best``).
    stopped_epoch : int or None
        The epoch at which it asked to stop.
    """

    def __init__(self, patience, monitor="test_accuracy", min_delta=0.0, restore_best=True):
        self.patience = check_positive_int(patience, "patience")
        self.monitor = check_choice(monitor, "monitor", tuple(WORDS))
        self.min_delta = NONNEGATIVE.check(min_delta, "min_delta")
        self.restore_best = bool(restore_best)
        self.best, self.best_epoch, self.best_weights, self.stopped_epoch = None, 0, None, None

    def _score(self, record):
        value = record[self.monitor]
        if value is None:
            raise ValueError(f"early stopping on {self.monitor!r} needs validation_data")
        return -value if self.monitor == "loss" else value  # higher is better from here on

    def on_epoch_end(self, record, trainer):
        score = self._score(record)
        if self.best is None or score > self.best + self.min_delta:
            self.best, self.best_epoch = score, record["epoch"]
            if self.restore_best:
                arrays = trainer.model.state_arrays().items()
                self.best_weights = {name: backend.to_numpy(value).copy() for name, value in arrays}
        if record["epoch"] - self.best_epoch >= self.patience:
            self.stopped_epoch = record["epoch"]
            return True
        return False

    def on_train_end(self, trainer):
        if self.stopped_epoch is not None:
            trainer.progress.message(f"early stopping: no better {WORDS[self.monitor]} for {self.patience} epochs")
        if self.restore_best and self.best_weights is not None:
            trainer.model.load_state_arrays(self.best_weights, source="best weights")
            trainer.progress.message(f"restored the best weights (epoch {self.best_epoch})")

    # ---- checkpoints: what resume needs ---------------------------------------------------------------
    def state(self):
        """JSON-able progress (the best weights travel separately, as arrays)."""
        return {"best": self.best, "epoch": self.best_epoch}

    def load_state(self, state, best_weights):
        """Restore what :meth:`state` returned, with the saved best weights (or None)."""
        self.best, self.best_epoch = state["best"], int(state["epoch"])
        self.best_weights = best_weights or None
