"""A scikit-learn compatible classifier built on nnscratch's layers, optimizers and Trainer.

Needs scikit-learn (``pip install "nnscratch[sklearn]"``); it is imported here only.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from nnscratch.functional import softmax
from nnscratch.models import mlp
from nnscratch.optim import OPTIMIZERS
from nnscratch.train import Trainer
from nnscratch.train.callbacks import EarlyStopping
from nnscratch.validation import NONNEGATIVE, POSITIVE, Interval, check_positive_int


class MLPClassifier(ClassifierMixin, BaseEstimator):
    """Multi-layer perceptron classifier with scikit-learn's interface.

    The parameter names are scikit-learn's ``MLPClassifier``'s where they
    exist; the network is ``nnscratch.mlp`` (softmax output, float64) trained
    by ``nnscratch.train.Trainer``.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
    activation : str, default="relu"
        A name in the layer registry's ``nnscratch.layers.ACTIVATIONS`` (relu, sigmoid, tanh, ...).
        ("logistic" is accepted as scikit-learn's name for "sigmoid".)
    solver : {"adam", "sgd", "momentum", "nesterov", "adagrad", "rmsprop"}, default="adam"
        Any nnscratch optimizer.
    alpha : float, default=1e-4
        L2 penalty, scaled as in scikit-learn: ``0.5 * alpha * ||W||^2 / batch size``.
        It maps to exactly one of nnscratch's two forms, the network's ``reg``
        (weights only, part of the loss): ``reg = alpha / batch_size``. The
        optimizer's ``weight_decay`` stays 0.
    batch_size : int or "auto", default="auto"
        "auto" is ``min(200, n_samples)``.
    learning_rate_init : float, default=1e-3
    max_iter : int, default=200
        Epochs.
    tol : float, default=1e-4
        Training stops when the loss (or, with early stopping, the validation
        accuracy) has not improved by ``tol`` for ``n_iter_no_change`` epochs
        (an ``nnscratch.train.callbacks.EarlyStopping`` callback).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified) and keep the
        weights of the best validation accuracy.
    validation_fraction : float, default=0.1
    n_iter_no_change : int, default=10
    random_state : int, RandomState or None, default=None
    verbose : bool, default=False
        Print one line per epoch.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, of any type.
    loss_curve_ : list of float
        Training loss per epoch.
    validation_scores_ : list of float or None
        Validation accuracy per epoch, with early stopping.
    n_iter_ : int
        Epochs run.
    n_features_in_ : int
    model_ : nnscratch.Sequential
        The trained network.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from nnscratch.sklearn import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(hidden_layer_sizes=(20,), learning_rate_init=0.01, random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.95
    True
    """

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        solver="adam",
        alpha=1e-4,
        batch_size="auto",
        learning_rate_init=1e-3,
        max_iter=200,
        tol=1e-4,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        random_state=None,
        verbose=False,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.tol = tol
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.random_state = random_state
        self.verbose = verbose

    # ---- fitting ------------------------------------------------------------------------------------
    def fit(self, X, y):
        """Train from scratch for up to ``max_iter`` epochs. Returns self."""
        X, y = self._validate(X, y, reset=True)
        self._check_params()
        self._encoder = LabelEncoder().fit(y)
        self.classes_ = self._encoder.classes_
        t = self._encoder.transform(y)
        self._initialize(X.shape[1], len(self.classes_), len(X))
        validation = None
        if self.early_stopping:
            X, X_val, t, t_val = self._split(X, t)
            validation = (X_val, t_val)
        # scikit-learn's rule: stop after n_iter_no_change epochs without a gain of tol; with a
        # validation set, watch its accuracy and keep the best weights, else watch the training loss.
        stopper = EarlyStopping(
            self.n_iter_no_change,
            monitor="test_accuracy" if validation else "loss",
            min_delta=self.tol,
            restore_best=validation is not None,
        )
        history = self._trainer([stopper]).fit(X, t, self.max_iter, validation_data=validation)
        self._record(history)
        return self

    def partial_fit(self, X, y, classes=None):
        """One epoch over ``(X, y)``, continuing from the current weights and optimizer state.

        ``classes`` (all labels that will ever appear) is required on the first call.
        """
        first = not hasattr(self, "model_")
        X, y = self._validate(X, y, reset=first)
        if first:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit")
            self._check_params()
            self._encoder = LabelEncoder().fit(np.asarray(classes))
            self.classes_ = self._encoder.classes_
            self._initialize(X.shape[1], len(self.classes_), len(X))
            self.loss_curve_, self.validation_scores_, self.n_iter_ = [], None, 0
        elif classes is not None and not np.array_equal(np.unique(np.asarray(classes)), self.classes_):
            # compared as sets: [2, 0, 1] after [0, 1, 2] names the same classes, whose order stays the first's
            raise ValueError(f"classes={classes!r} differs from the first call's {self.classes_!r}")
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(f"y holds labels {unknown!r} not in classes {self.classes_!r}")
        history = self._trainer([]).fit(X, self._encoder.transform(y), 1)
        self.loss_curve_.append(history[-1]["loss"])
        self.n_iter_ += 1
        return self

    # ---- prediction ---------------------------------------------------------------------------------
    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes), columns in the order of ``classes_``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        with np.errstate(over="ignore", invalid="ignore"):  # reported below, in words
            scores = self.model_.predict(X)  # predict computes in evaluation mode
        if not np.isfinite(scores).all():  # softmax of inf scores is NaN
            raise ValueError(
                f"X gives scores beyond float64's range (the largest |X| is {np.abs(X).max():g}); "
                "scale X, e.g. with sklearn.preprocessing.StandardScaler"
            )
        return softmax(scores)

    def predict(self, X):
        """The most probable class of each sample, shape (n_samples,)."""
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = False
        tags.input_tags.sparse = False
        return tags

    # ---- helpers ------------------------------------------------------------------------------------
    def _validate(self, X, y, reset):
        try:
            X, y = validate_data(self, X, y, reset=reset, dtype=np.float64)
            y = column_or_1d(y, warn=True)
            check_classification_targets(y)
        except (TypeError, ValueError) as error:
            # scikit-learn's messages do not always say which argument ("inconsistent numbers of samples")
            raise type(error)(f"X and y: {error}") from None
        return X, y

    def _check_params(self):
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if isinstance(sizes, int | np.integer) else tuple(sizes)
        if any(not isinstance(s, int | np.integer) or s <= 0 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be positive integers, got {self.hidden_layer_sizes!r}")
        if self.solver not in OPTIMIZERS:
            raise ValueError(f"solver must be one of {sorted(OPTIMIZERS)}, got {self.solver!r}")
        POSITIVE.check(self.learning_rate_init, "learning_rate_init")
        NONNEGATIVE.check(self.alpha, "alpha")
        NONNEGATIVE.check(self.tol, "tol")
        _positive_int_or_value_error(self.max_iter, "max_iter")
        _positive_int_or_value_error(self.n_iter_no_change, "n_iter_no_change")
        Interval(0, 1, closed="neither").check(self.validation_fraction, "validation_fraction")
        if self.batch_size != "auto" and not (isinstance(self.batch_size, int | np.integer) and self.batch_size > 0):
            raise ValueError(f"batch_size must be 'auto' or a positive integer, got {self.batch_size!r}")
        self._hidden = sizes

    def _initialize(self, n_features, n_classes, n_samples):
        # None, an int or a RandomState, as scikit-learn takes it; nnscratch itself uses a Generator.
        self._rng = np.random.default_rng(check_random_state(self.random_state).randint(2**31))
        activation = "sigmoid" if self.activation == "logistic" else self.activation
        init = "he" if activation in ("relu", "leaky_relu", "elu") else "xavier"
        # clipped to the data, as scikit-learn does: reg = alpha / batch is per the batch really used
        self._batch = min(200 if self.batch_size == "auto" else int(self.batch_size), n_samples)
        self.model_ = mlp(
            n_features,
            self._hidden,
            n_classes,
            activation=activation,
            weight_init=init,
            dtype="float64",
            seed=self._rng,
            reg=self.alpha / self._batch,
        )
        self._optimizer = OPTIMIZERS[self.solver](lr=self.learning_rate_init)

    def _split(self, X, t):
        stratify = t if np.bincount(t).min() >= 2 else None
        try:
            return train_test_split(
                X, t, test_size=self.validation_fraction, stratify=stratify, random_state=int(self._rng.integers(2**31))
            )
        except ValueError as error:  # too few samples for a stratified validation set
            raise ValueError(
                f"early_stopping: validation_fraction={self.validation_fraction!r} of {len(X)} samples cannot hold "
                f"a validation set ({error})"
            ) from None

    def _trainer(self, callbacks):
        return Trainer(
            self.model_,
            self._optimizer,
            batch_size=self._batch,
            seed=self._rng,
            patience=None,
            progress="lines" if self.verbose else "none",
            callbacks=callbacks,
        )

    def _record(self, history):
        self.loss_curve_ = [r["loss"] for r in history]
        scores = [r["test_accuracy"] for r in history]
        self.validation_scores_ = scores if self.early_stopping else None
        self.n_iter_ = len(history)
        if self.early_stopping:
            self.best_validation_score_ = max(scores)


def _positive_int_or_value_error(value, name):
    """``check_positive_int``, with a ValueError for any bad value, as scikit-learn's checks expect."""
    try:
        return check_positive_int(value, name)
    except TypeError as error:
        raise ValueError(str(error)) from None
