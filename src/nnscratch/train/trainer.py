"""The Trainer: mini-batch training of any network with any optimizer.

One epoch is one pass over the shuffled training set without replacement.
Each step is the contract's two calls, ``model.loss_and_grads(x, t)`` and
``optimizer.update(params, grads)`` (for plain SGD with the learning rate
folded into backprop: ``grad_scale=lr``, then ``lr_folded=True``, so that each
update is one subtraction); nothing is computed twice for logging
(the epoch's loss and training accuracy are the running means over its
batches, as Keras reports them). After each epoch the callbacks run (early
stopping is one of them), then the checkpoint is written.
"""

import functools
import inspect
import math
import time
from pathlib import Path

import numpy as np

from nnscratch import backend
from nnscratch.data.batching import BatchGatherer
from nnscratch.train import checkpoint
from nnscratch.train.callbacks import EarlyStopping
from nnscratch.train.progress import Progress
from nnscratch.validation import as_generator, as_numeric_array, check_pair, check_positive_int, labels_to_indices


class DivergenceError(RuntimeError):
    """The loss became NaN or infinite."""


class Trainer:
    """Train ``model`` with ``optimizer`` on mini-batches.

    Parameters
    ----------
    model : Network
        Anything with ``loss_and_grads``, ``params``, ``train``/``eval`` (e.g. ``mlp(...)``).
        ``fit`` returns with the model in evaluation mode.
    optimizer : Optimizer
    batch_size : int, default=100
    seed : int, optional
        Seeds the shuffling; with the model's seed, a run is reproducible.
    lr_schedule : callable (epoch, base_lr) -> lr, optional
        For example ``ExponentialDecay(0.95)``, seed 000's per-epoch lr_decay.
    patience : int, optional
        Early stopping: stop after this many epochs without a better
        validation accuracy, and restore the best weights (an
        :class:`~nnscratch.train.callbacks.EarlyStopping` callback).
    output_dir : path, optional
        Checkpoints go to ``output_dir/checkpoints/`` every epoch and the
        final weights to ``output_dir/model.npz``.
    keep_checkpoints : int, default=3
    progress : {"auto", "bar", "lines", "none"}, default="auto"
    device : {"cpu", "gpu"}, default="cpu"
        "gpu" moves the model and data to CuPy arrays; the layers are unchanged.
    eval_batch_size : int, default=1000
        Batch size for computing validation accuracy.
    checkpoint_every : int, default=1
        Epochs between checkpoints (the last epoch is always saved); raise it
        for runs of thousands of tiny epochs.
    on_epoch_end : callable (record, trainer) -> bool or None, optional
        Called after each epoch, e.g. to print the weights every 1000 epochs;
        returning True stops training.
    callbacks : list of Callback, optional
        Called after each epoch, before its checkpoint (see ``nnscratch.train.callbacks``).
    settings : dict, optional
        JSON-able settings of the run (the command line's model, optimizer and data
        options), recorded in every checkpoint; ``fit(resume=True)`` then refuses a
        checkpoint that recorded other settings (ValueError naming each difference).

    Examples
    --------
    >>> import numpy as np
    >>> from nnscratch import Adam, mlp
    >>> from nnscratch.train import Trainer
    >>> x = np.random.default_rng(0).normal(size=(200, 2)).astype(np.float32)
    >>> t = (x[:, 0] * x[:, 1] > 0).astype(int)
    >>> history = Trainer(mlp(2, [16], 2, seed=0), Adam(0.05), batch_size=20, seed=0,
    ...                   progress="none").fit(x, t, epochs=30)
    >>> history[-1]["train_accuracy"] > 0.9
    True
    """

    def __init__(
        self,
        model,
        optimizer,
        batch_size=100,
        seed=None,
        lr_schedule=None,
        patience=None,
        output_dir=None,
        keep_checkpoints=3,
        progress="auto",
        device="cpu",
        eval_batch_size=1000,
        on_epoch_end=None,
        checkpoint_every=1,
        callbacks=(),
        settings=None,
    ):
        self.model, self.optimizer = model, optimizer
        self.settings = settings
        self.batch_size = check_positive_int(batch_size, "batch_size")
        self.eval_batch_size = check_positive_int(eval_batch_size, "eval_batch_size")
        self.patience = None if patience is None else check_positive_int(patience, "patience")
        self.rng = as_generator(seed)
        self.lr_schedule = lr_schedule
        self.output_dir = None if output_dir is None else Path(output_dir)
        self.keep_checkpoints = check_positive_int(keep_checkpoints, "keep_checkpoints")
        self.progress = progress if isinstance(progress, Progress) else Progress(progress)
        self.xp = backend.device_module(device)
        self.device = device
        self.on_epoch_end = on_epoch_end
        self.checkpoint_every = check_positive_int(checkpoint_every, "checkpoint_every")
        self.base_lr = optimizer.lr
        self.history = []
        self.callbacks = list(callbacks)
        self.early_stopping = None if patience is None else EarlyStopping(self.patience)
        if self.early_stopping is not None:
            self.callbacks.append(self.early_stopping)

    @property
    def best(self):
        """dict: early stopping's best validation ``accuracy``, its ``epoch`` and ``weights`` (or None)."""
        stopper = self.early_stopping
        if stopper is None or stopper.best is None:
            return {"accuracy": -1.0, "epoch": 0, "weights": None}
        return {"accuracy": stopper.best, "epoch": stopper.best_epoch, "weights": stopper.best_weights}

    # ---- the public entry point ------------------------------------------------------------
    def fit(self, x, t, epochs, validation_data=None, resume=False):
        """Train for ``epochs`` epochs in all (counting those done before a resume).

        Parameters
        ----------
        x : ndarray, shape (N, D) or (N, d_1, ..., d_k)
        t : ndarray, shape (N,) of class indices or (N, C) one-hot
        epochs : int
        validation_data : tuple (x_val, t_val), optional
            Gives ``test_accuracy`` per epoch; needed for early stopping.
        resume : bool, default=False
            Continue from the newest valid checkpoint in ``output_dir``.

        Returns
        -------
        list of dict
            Per epoch: ``epoch``, ``loss``, ``train_accuracy``,
            ``test_accuracy`` (None without validation data), ``seconds``, ``lr``.

        Raises
        ------
        ValueError
            On bad data: wrong shapes or labels at once; NaN or inf in ``x`` as soon as a
            batch holding one gives a loss that is not finite (before that batch's update).
        DivergenceError
            When the loss becomes NaN or infinite with finite data.
        """
        epochs = check_positive_int(epochs, "epochs")
        self.model.to(self.device)
        x, t = self._check_data(x, t, "x", "t")
        val = None
        if validation_data is not None:
            val = self._check_data(*check_pair(validation_data, "validation_data"), "x_val", "t_val")
        if self.patience and val is None:
            raise ValueError("patience (early stopping) needs validation_data")
        if resume:
            self._resume()
        self._x = x  # for _diverged's data check
        gatherer = BatchGatherer(self.xp.asarray(x), self.xp.asarray(t), self.batch_size)
        val = None if val is None else (self.xp.asarray(val[0]), self.xp.asarray(val[1]))
        try:
            for epoch in range(len(self.history) + 1, epochs + 1):
                record, stop = self._run_epoch(gatherer, epoch, epochs, val)
                self.progress.epoch_end(record, epochs)
                asked = self.on_epoch_end is not None and self.on_epoch_end(record, self)
                if stop or asked:
                    break
            self._check_weights()
            for callback in self.callbacks:
                callback.on_train_end(self)
        finally:
            self.model.eval()  # predict and accuracy are inference readings; leave the model ready for them
            self._x = None  # the data are the caller's: hold no reference after fit
        if self.output_dir is not None:
            self.model.save(self.output_dir / "model.npz")
        return self.history

    # ---- input checks at the door -------------------------------------------------------------
    def _check_data(self, x, t, x_name, t_name):
        # The training data's values are read for NaN and inf only if the loss stops being finite
        # (see _diverged): a NaN or inf anywhere in a batch makes its loss NaN before any update,
        # so a clean data set is never read an extra time (a whole pass over Fashion-MNIST per fit).
        x = as_numeric_array(x, x_name, finite=x_name != "x")
        if x.ndim < 2 or x.shape[0] == 0:
            raise ValueError(f"{x_name} must have shape (N, D) or (N, d_1, ..., d_k) with N >= 1, got {tuple(x.shape)}")
        n_classes = self._n_classes(x[:1])
        labels = labels_to_indices(t, x.shape[0], n_classes, name=t_name)
        xp = backend.get_array_module(labels)  # data may already live on the device
        return x.astype(self.model.dtype, copy=False), xp.ascontiguousarray(labels, dtype=np.int64)

    def _n_classes(self, x_row):
        """C, the width of the model's scores, from one row (which also checks its feature count)."""
        with self.model.mode(training=False):
            return self.model.forward(self.xp.asarray(x_row, dtype=self.model.dtype)).shape[1]

    # ---- one epoch --------------------------------------------------------------------------
    def _run_epoch(self, gatherer, epoch, epochs, val):
        """Train one epoch; return its record and whether a callback asked to stop."""
        start = time.perf_counter()
        if self.lr_schedule is not None:
            self.optimizer.lr = self.lr_schedule(epoch - 1, self.base_lr)
        order = self.xp.asarray(self.rng.permutation(len(gatherer.t)))
        batches = self.progress.batches(gatherer.batches(order), len(gatherer), epoch, epochs)
        # Overflow on the way to a NaN loss is reported once, as DivergenceError, not as NumPy warnings.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            loss_sum, correct = self._train_batches(batches, epoch, len(gatherer.t))
        record = {
            "epoch": epoch,
            "loss": loss_sum / len(gatherer.t),
            "train_accuracy": correct / len(gatherer.t),
            "test_accuracy": None if val is None else self.evaluate(*val),
            "seconds": time.perf_counter() - start,
            "lr": self.optimizer.lr,
        }
        self.history.append(record)
        stop = any([callback.on_epoch_end(record, self) for callback in self.callbacks])  # every one runs
        if epoch % self.checkpoint_every == 0 or epoch == epochs:
            self._save_checkpoint(epoch)
        return record, stop

    def _train_batches(self, batches, epoch, n_samples):
        """One step per batch: ``loss_and_grads``, then ``update``. Returns (summed loss, correct count).

        On a GPU the loss and the correct count stay on the device until the end of the epoch:
        reading either on the host every step would make the CPU wait for the GPU each time.
        A diverged loss is then caught at the end of the epoch instead of at its step.
        """
        model = self.model.train()
        params, update, equal = model.params, self.optimizer.update, self.xp.equal
        options = {"labels_checked": True}
        if self._can_fold_lr():  # plain SGD: backprop starts from lr, so each update is one subtraction
            options["grad_scale"] = self.optimizer.lr
            update = functools.partial(update, lr_folded=True)
        step_of = functools.partial(model.loss_and_grads, **options)  # bound once: no keywords per step
        hits, done = self.xp.empty(n_samples, dtype=bool), 0  # hit or miss per sample, (N,) bool, counted at the end
        loss_sum = 0.0
        for step, (x_batch, t_batch) in enumerate(batches):
            loss, scores, grads = step_of(x_batch, t_batch)
            if isinstance(loss, float) and not math.isfinite(loss):
                self._diverged(loss, epoch, f"step {step + 1}")
            update(params, grads)
            n = len(t_batch)
            loss_sum += loss * n
            equal(scores.argmax(axis=1), t_batch, out=hits[done : done + n])
            done += n
            del scores, grads  # so that the next backward can reuse their memory (see Affine.backward)
        loss_sum, correct = float(loss_sum), int(hits.sum())  # the batches cover every sample once
        if not math.isfinite(loss_sum):
            self._diverged(loss_sum, epoch, "the end of the epoch")
        return loss_sum, correct

    def _can_fold_lr(self):
        """Whether steps can fold the learning rate into backprop, as the NumPy floor does.

        For plain SGD, ``param -= grad`` with the gradients of ``lr * loss`` is the same step
        as ``param -= lr * grad``, without a pass over every weight to multiply it by ``lr``
        (about a tenth of a step at H = 1000). It needs an optimizer whose ``folds_lr`` is
        True and a model whose ``loss_and_grads`` takes ``grad_scale`` (a learner's may not).
        """
        if not getattr(self.optimizer, "folds_lr", False):
            return False
        return "grad_scale" in inspect.signature(self.model.loss_and_grads).parameters

    def _diverged(self, loss, epoch, where):
        """Raise the right error for a loss that is not finite: bad data (ValueError), else DivergenceError."""
        as_numeric_array(self._x, "x")  # raises "x contains k NaN or infinite value(s)" for bad data
        raise DivergenceError(
            f"the loss became {loss} at epoch {epoch}, {where}; try a smaller learning rate (now {self.optimizer.lr:g})"
        )

    def _check_weights(self):
        """Raise DivergenceError if a weight is NaN or inf: the last update can do that with every loss finite."""
        for name, param in self.model.params.items():
            if not bool(self.xp.isfinite(param).all()):
                raise DivergenceError(
                    f"the weights ({name}) became NaN or infinite in the last step of epoch {len(self.history)}; "
                    f"try a smaller learning rate (now {self.optimizer.lr:g}) or scale the data"
                )

    def evaluate(self, x, t):
        """Accuracy of the model (in eval mode), batch by batch.

        ``x`` (N, D) is already checked and on the trainer's device; ``t`` (N,) holds class indices.
        """
        correct = 0
        with self.model.mode(training=False):
            for start in range(0, len(t), self.eval_batch_size):
                scores = self.model.forward(x[start : start + self.eval_batch_size])
                correct += int((scores.argmax(axis=1) == t[start : start + self.eval_batch_size]).sum())
        return correct / len(t)

    # ---- checkpoints ----------------------------------------------------------------------------
    def _save_checkpoint(self, epoch):
        if self.output_dir is None:
            return
        optimizer_state = self.optimizer.state_dict()
        stopper = self.early_stopping
        info = {
            "history": self.history,
            "optimizer": {key: value for key, value in optimizer_state.items() if key != "arrays"},
            "base_lr": self.base_lr,
            "rng": self.rng.bit_generator.state,
            "model_rngs": self.model.rng_states(),
            "early_stopping": None if stopper is None else stopper.state(),
            "settings": self.settings,
        }
        checkpoint.save(
            self.output_dir / "checkpoints",
            epoch,
            info,
            self.model.state_arrays(),
            optimizer_state["arrays"],
            None if stopper is None else stopper.best_weights,
            keep=self.keep_checkpoints,
        )

    def _resume(self):
        if self.output_dir is None:
            raise ValueError("resume=True needs output_dir, where the checkpoints are")
        found = checkpoint.load_latest(self.output_dir / "checkpoints")
        if found is None:
            self.progress.message(f"no checkpoint in {self.output_dir / 'checkpoints'}; starting from scratch")
            return
        if self.settings is not None:
            checkpoint.check_settings(found, self.settings, self.output_dir)
        self.model.load_state_arrays(found.model, source=f"checkpoint of epoch {found.epoch}")
        optimizer_arrays = {name: backend.to_device(value, self.device) for name, value in found.optimizer.items()}
        self.optimizer.load_state_dict({**found.info["optimizer"], "arrays": optimizer_arrays})
        self.base_lr = found.info["base_lr"]
        self.rng.bit_generator.state = found.info["rng"]
        self.model.set_rng_states(found.info["model_rngs"])
        self.history = found.info["history"]
        if self.early_stopping is not None and found.info.get("early_stopping"):
            self.early_stopping.load_state(found.info["early_stopping"], found.best)
        self.progress.message(f"resumed from the checkpoint of epoch {found.epoch}")
