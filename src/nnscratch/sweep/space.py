"""Search spaces: the seed-000 table's five hyperparameters, per data set, or from a TOML file.

A space maps each name to a dict with any of:

- ``low``, ``high`` (and ``log = true``): a range for the random and TPE samplers
  (integers when both bounds are integers);
- ``grid``: the values the grid sampler visits (and, without a range, the
  choices the other samplers pick from).

Every entry is checked before a sweep starts (:func:`check_space`). TOML example
(``--space FILE``; a ``.json`` file holds the same tables as JSON objects)::

    [hidden_size]
    low = 50
    high = 500
    log = true
    grid = [50, 100, 200, 500]
"""

import json
import math
import tomllib
from pathlib import Path

from nnscratch.validation import NONNEGATIVE, POSITIVE, Interval

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


# What each hyperparameter's values must be: (an integer?, the range they lie in).
_RULES = {
    "hidden_size": (True, Interval(1, None)),
    "num_epochs": (True, Interval(1, None)),
    "learning_rate": (False, POSITIVE),
    "lr_decay": (False, Interval(0, 1, closed="right")),  # as ExponentialDecay accepts
    "reg": (False, NONNEGATIVE),
}
_KEYS = ("low", "high", "log", "grid")


def load_space(path):
    """Read a space from a TOML file (or JSON, by the ``.json`` suffix); ``ValueError`` naming
    the file and the problem."""
    path = Path(path)
    try:
        text = path.read_text()
        space = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot read the search space {path}: {error}") from None
    return check_space(space, source=str(path))


def check_space(space, source="space"):
    """Return ``space`` with every entry checked and its numbers typed, else raise ``ValueError``.

    Every value a sampler could draw must be usable by a trial: integers >= 1 for
    ``hidden_size`` and ``num_epochs``, a learning rate > 0, ``lr_decay`` in (0, 1],
    ``reg`` >= 0; ``log = true`` needs ``low > 0``; a grid is a non-empty list.
    The message names the entry (``hidden_size.low``), what it must be and what it is.
    """
    if not isinstance(space, dict):
        raise ValueError(f"{source}: a search space must be a table of hyperparameters, got {type(space).__name__}")
    unknown = set(space) - set(HYPERPARAMETERS)
    if unknown:
        raise ValueError(f"{source}: unknown hyperparameters {sorted(unknown)}; known: {list(HYPERPARAMETERS)}")
    return {name: _check_entry(name, spec, source) for name, spec in space.items()}


def _check_entry(name, spec, source):
    if not isinstance(spec, dict):
        raise ValueError(f"{source}: {name} must be a table with low/high and/or grid, got {spec!r}")
    unknown = set(spec) - set(_KEYS)
    if unknown:
        raise ValueError(f"{source}: {name} has unknown keys {sorted(unknown)}; allowed: {list(_KEYS)}")
    has_range = [key in spec for key in ("low", "high")]
    if any(has_range) and not all(has_range):
        missing = "high" if has_range[0] else "low"
        raise ValueError(f"{source}: {name} has {'low' if has_range[0] else 'high'} but no {missing}")
    if not all(has_range) and "grid" not in spec:
        raise ValueError(f"{source}: {name} needs low and high, or grid")
    checked = {}
    if all(has_range):
        checked["low"] = _check_value(name, "low", spec["low"], source)
        checked["high"] = _check_value(name, "high", spec["high"], source)
        if not checked["low"] <= checked["high"]:
            raise ValueError(f"{source}: {name} has low {spec['low']} > high {spec['high']}")
    if "log" in spec:
        if not isinstance(spec["log"], bool):
            raise ValueError(f"{source}: {name}.log must be true or false, got {spec['log']!r}")
        if spec["log"] and not all(has_range):
            raise ValueError(f"{source}: {name}.log needs low and high")
        if spec["log"] and not checked["low"] > 0:
            raise ValueError(f"{source}: {name}.log = true needs low > 0, got low = {spec['low']!r}")
        checked["log"] = spec["log"]
    if "grid" in spec:
        grid = spec["grid"]
        if not isinstance(grid, list) or not grid:
            raise ValueError(f"{source}: {name}.grid must be a non-empty list, got {grid!r}")
        checked["grid"] = [_check_value(name, f"grid[{i}]", value, source) for i, value in enumerate(grid)]
    return checked


def _check_value(name, key, value, source):
    """One number of an entry: the hyperparameter's type and range, or ``ValueError``."""
    integer, interval = _RULES[name]
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if not numeric or (integer and not isinstance(value, int)) or not math.isfinite(value) or value not in interval:
        raise ValueError(
            f"{source}: {name}.{key} must be {'an integer' if integer else 'a number'} {interval}, got {value!r}"
        )
    return int(value) if integer else float(value)


def canonical(space):
    """The space as one JSON string with sorted keys: what a study remembers, to refuse another space."""
    return json.dumps(space, sort_keys=True, separators=(",", ":"))


def differences(old, new):
    """``["hidden_size.high: 200 -> 300", ...]``: each entry key that differs between two spaces."""
    found = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name, {}), new.get(name, {})
        if name not in old or name not in new:
            found.append(f"{name}: {before or 'absent'} -> {after or 'absent'}")
            continue
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                found.append(f"{name}.{key}: {before.get(key, 'absent')} -> {after.get(key, 'absent')}")
    return found


def resolve(dataset, space=None, source="space"):
    """The dataset's default space with the entries of ``space`` replacing its own, checked."""
    return check_space({**DEFAULT_SPACES[dataset], **(space or {})}, source=source)


def grid_of(space):
    """The grid sampler's search space: name -> list of values."""
    missing = [name for name, spec in space.items() if "grid" not in spec]
    if missing:
        raise ValueError(f"the grid sampler needs a grid for {missing}")
    return {name: list(spec["grid"]) for name, spec in space.items()}


def suggest(trial, space):
    """Ask an Optuna trial for a value of every hyperparameter in ``space`` (checked by :func:`check_space`)."""
    params = {}
    for name, spec in space.items():
        if {"low", "high"} <= set(spec):
            low, high, log = spec["low"], spec["high"], spec.get("log", False)
            if _RULES[name][0]:
                params[name] = trial.suggest_int(name, int(low), int(high), log=log)
            else:
                params[name] = trial.suggest_float(name, float(low), float(high), log=log)
        else:
            params[name] = trial.suggest_categorical(name, list(spec["grid"]))
    return params
