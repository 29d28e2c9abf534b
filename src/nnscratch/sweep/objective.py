"""One sweep trial: seed 000's two-layer net trained with the trial's hyperparameters.

Each data set is split into training and validation parts here (the test
sets are never looked at by a sweep); the trial reports its validation
accuracy after every epoch, so that Optuna can prune a poor trial early.
"""

import functools

import numpy as np

from nnscratch import data
from nnscratch.models import TwoLayerNet
from nnscratch.optim import SGD, ExponentialDecay
from nnscratch.train import Trainer

# Batch size and initial weight scale per data set (seed 000 used 200 and 1e-4 on CIFAR-10), and the
# epochs a trial runs before it may be pruned (the spiral's full-batch epochs are single steps).
SETTINGS = {
    "spiral": {"batch_size": 300, "weight_init_std": 0.01, "warmup_epochs": 150},
    "fashion": {"batch_size": 100, "weight_init_std": 0.01, "warmup_epochs": 1},
    "mnist": {"batch_size": 100, "weight_init_std": 0.01, "warmup_epochs": 1},
    "cifar10": {"batch_size": 200, "weight_init_std": 1e-4, "warmup_epochs": 2},
    "digits": {"batch_size": 32, "weight_init_std": 0.01, "warmup_epochs": 3},
}


@functools.cache
def load_split(dataset, data_dir=None):
    """``((x_train, t_train), (x_val, t_val))`` for a sweep, loaded once per process."""
    if dataset == "spiral":
        return data.make_spiral(seed=0), data.make_spiral(seed=1)
    if dataset in ("fashion", "mnist"):
        loader = data.load_fashion_mnist if dataset == "fashion" else data.load_mnist
        (x, t), _ = loader(data_dir=data_dir)
        return (x[:50_000], t[:50_000]), (x[50_000:], t[50_000:])
    if dataset == "cifar10":
        (x, t), _ = data.load_cifar10(data_dir=data_dir, normalize=False, flatten=True)
        x = x - x[:49_000].mean(axis=0)
        return (x[:49_000], t[:49_000]), (x[49_000:], t[49_000:])
    if dataset == "digits":
        return data.load_digits(test_fraction=0.2, seed=0)
    raise ValueError(f"dataset must be one of {sorted(SETTINGS)}, got {dataset!r}")


def train_trial(dataset, params, on_epoch=None, data_dir=None, seed=0):
    """Train with ``params`` (the five hyperparameters); return the history.

    Parameters
    ----------
    on_epoch : callable (record) -> None, optional
        Called after each epoch; may raise ``optuna.TrialPruned``.
    """
    (x, t), (x_val, t_val) = load_split(dataset, data_dir)
    settings = SETTINGS[dataset]
    net = TwoLayerNet(
        x.shape[1],
        int(params["hidden_size"]),
        int(t.max()) + 1,
        weight_init_std=settings["weight_init_std"],
        reg=float(params["reg"]),
        seed=seed,
        dtype=np.float32,
    )
    trainer = Trainer(
        net,
        SGD(float(params["learning_rate"])),
        batch_size=settings["batch_size"],
        seed=seed,
        lr_schedule=ExponentialDecay(float(params["lr_decay"])),
        progress="none",
        on_epoch_end=None if on_epoch is None else lambda record, _: on_epoch(record),
    )
    return trainer.fit(x, t, int(params["num_epochs"]), validation_data=(x_val, t_val))
