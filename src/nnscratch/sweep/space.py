"""Search spaces: the seed-000 table's five hyperparameters, per data set, or from a TOML file.

A space maps each name to a dict with any of:

- ``low``, ``high`` (and ``log = true``): a range for the random and TPE samplers
  (integers when both bounds are integers);
- ``grid``: the values the grid sampler visits (and, without a range, the
  choices the other samplers pick from).

TOML example (``--space FILE``)::

    [hidden_size]
    low = 50
    high = 500
    log = true
    grid = [50, 100, 200, 500]
"""

import tomllib
from pathlib import Path

HYPERPARAMETERS = ("hidden_size", "learning_rate", "lr_decay", "num_epochs", "reg")

_IMAGE = {
    "hidden_size": {"low": 50, "high": 500, "log": True, "grid": [50, 100, 200, 500]},
    "learning_rate": {"low": 1e-3, "high": 0.5, "log": True, "grid": [0.01, 0.05, 0.1, 0.3]},
    "lr_decay": {"low": 0.8, "high": 1.0, "grid": [0.9, 0.95]},
    "num_epochs": {"low": 2, "high": 10, "grid": [5, 10]},
    "reg": {"low": 1e-5, "high": 1e-2, "log": True, "grid": [1e-4, 1e-3]},
}

DEFAULT_SPACES = {
    "spiral": {
        "hidden_size": {"low": 10, "high": 200, "log": True, "grid": [20, 100]},
        "learning_rate": {"low": 0.05, "high": 2.0, "log": True, "grid": [0.3, 1.0]},
        "lr_decay": {"low": 0.998, "high": 1.0, "grid": [0.999, 1.0]},
        "num_epochs": {"low": 200, "high": 3000, "log": True, "grid": [500, 2000]},
        "reg": {"low": 1e-5, "high": 1e-2, "log": True, "grid": [1e-4, 1e-3]},
    },
    "fashion": _IMAGE,
    "mnist": _IMAGE,
    # Seed 000's CIFAR-10 table: mean-subtracted 0-255 pixels, so far smaller learning rates.
    "cifar10": {
        "hidden_size": {"low": 50, "high": 3000, "log": True, "grid": [500, 1500, 3000]},
        "learning_rate": {"low": 1e-5, "high": 1e-3, "log": True, "grid": [1e-4, 1e-3]},
        "lr_decay": {"low": 0.9, "high": 1.0, "grid": [0.95]},
        "num_epochs": {"low": 5, "high": 20, "grid": [5, 10, 20]},
        "reg": {"low": 1e-4, "high": 1.0, "log": True, "grid": [1e-3, 1e-1, 1.0]},
    },
    "digits": {
        "hidden_size": {"low": 16, "high": 256, "log": True, "grid": [32, 128]},
        "learning_rate": {"low": 1e-3, "high": 0.5, "log": True, "grid": [0.05, 0.2]},
        "lr_decay": {"low": 0.9, "high": 1.0, "grid": [0.95, 1.0]},
        "num_epochs": {"low": 10, "high": 100, "grid": [20, 60]},
        "reg": {"low": 1e-5, "high": 1e-2, "log": True, "grid": [1e-4]},
    },
}


def load_space(path):
    """Read a space from a TOML file; ``ValueError`` naming the file and the problem."""
    path = Path(path)
    try:
        space = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"cannot read the search space {path}: {error}") from None
    return check_space(space, source=str(path))


def check_space(space, source="space"):
    """Return ``space`` if every entry is usable, else raise ``ValueError``."""
    unknown = set(space) - set(HYPERPARAMETERS)
    if unknown:
        raise ValueError(f"{source}: unknown hyperparameters {sorted(unknown)}; known: {list(HYPERPARAMETERS)}")
    for name, spec in space.items():
        if not isinstance(spec, dict) or not ({"low", "high"} <= set(spec) or "grid" in spec):
            raise ValueError(f"{source}: {name} needs low and high, or grid")
        if {"low", "high"} <= set(spec) and not spec["low"] <= spec["high"]:
            raise ValueError(f"{source}: {name} has low {spec['low']} > high {spec['high']}")
    return space


def resolve(dataset, space=None):
    """The dataset's default space with the entries of ``space`` replacing its own."""
    return {**DEFAULT_SPACES[dataset], **(space or {})}


def grid_of(space):
    """The grid sampler's search space: name -> list of values."""
    missing = [name for name, spec in space.items() if "grid" not in spec]
    if missing:
        raise ValueError(f"the grid sampler needs a grid for {missing}")
    return {name: list(spec["grid"]) for name, spec in space.items()}


def suggest(trial, space):
    """Ask an Optuna trial for a value of every hyperparameter in ``space``."""
    params = {}
    for name, spec in space.items():
        if {"low", "high"} <= set(spec):
            low, high, log = spec["low"], spec["high"], spec.get("log", False)
            if isinstance(low, int) and isinstance(high, int):
                params[name] = trial.suggest_int(name, low, high, log=log)
            else:
                params[name] = trial.suggest_float(name, float(low), float(high), log=log)
        else:
            params[name] = trial.suggest_categorical(name, list(spec["grid"]))
    return params
