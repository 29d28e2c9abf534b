"""The page's whole configuration: one validated dict that the URL, the server and the export share.

Every key below travels in the page's URL (an instructor hands out a link) and in the
``config`` message the page sends; :func:`check_config` fills defaults and rejects anything
else with a message naming the key, what it expects and what it got.
"""

import numbers

from nnscratch.layers import ACTIVATIONS
from nnscratch.optim import OPTIMIZERS
from nnscratch.validation import Interval

DATASETS = ("spiral", "xor", "circles", "gaussians", "moons")
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin x1", "sin x2")
# The library's registries name the choices, so a newly registered activation or optimizer shows up here.
ACTIVATION_NAMES = (*ACTIVATIONS, "linear")
OPTIMIZER_NAMES = tuple(OPTIMIZERS)
MAX_LAYERS = 6
MAX_NEURONS = 16
MAX_POINTS = 200  # the user's own points, added by clicking
PLANE = Interval(-6, 6)  # the input plane the page draws, per coordinate

DEFAULTS = {
    "dataset": "circles",
    "classes": 2,
    "noise": 0,
    "split": 50,
    "seed": 0,
    "features": ["x1", "x2"],
    "hidden": [4, 2],
    "activation": "tanh",
    "optimizer": "sgd",
    "lr": 0.03,
    "reg": 0.0,
    "batch": 10,
    "dropout": 0.0,
    "points": [],
}


def check_config(config):
    """Return a full, checked copy of ``config`` (missing keys take :data:`DEFAULTS`).

    Parameters
    ----------
    config : dict
        Any subset of the keys of :data:`DEFAULTS`.

    Returns
    -------
    dict
        Every key of :data:`DEFAULTS`, with plain Python values.

    Raises
    ------
    ValueError
        For an unknown key or a value out of range, naming both.

    Examples
    --------
    >>> check_config({"dataset": "xor"})["hidden"]
    [4, 2]
    >>> check_config({"hidden": [3] * 7})
    Traceback (most recent call last):
    ValueError: config 'hidden' expects 0 to 6 layers, got 7
    """
    if not isinstance(config, dict):
        raise ValueError(f"config expects a dict, got {type(config).__name__}")
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"config has unknown keys {unknown}; known keys are {sorted(DEFAULTS)}")
    full = {**DEFAULTS, **config}
    checked = {
        "dataset": _choice(full, "dataset", DATASETS),
        "classes": _number(full, "classes", 2, 5, integer=True),
        "noise": _number(full, "noise", 0, 50),
        "split": _number(full, "split", 10, 90),
        "seed": _number(full, "seed", 0, 2**32 - 1, integer=True),
        "features": _features(full["features"]),
        "hidden": _hidden(full["hidden"]),
        "activation": _choice(full, "activation", ACTIVATION_NAMES),
        "optimizer": _choice(full, "optimizer", OPTIMIZER_NAMES),
        "lr": _number(full, "lr", 0, 10),
        "reg": _number(full, "reg", 0, 10),
        "batch": _number(full, "batch", 1, 1000, integer=True),
        "dropout": _number(full, "dropout", 0, 0.9),
        "points": _points(full["points"]),
    }
    if checked["dataset"] != "spiral":
        checked["classes"] = 2  # only the spiral has a choice of class count
    for point in checked["points"]:
        if point[2] >= checked["classes"]:
            raise ValueError(f"config 'points' expects classes below {checked['classes']}, got {point!r}")
    return checked


def _choice(config, key, choices):
    if config[key] not in choices:
        raise ValueError(f"config {key!r} expects one of {list(choices)}, got {config[key]!r}")
    return config[key]


def _number(config, key, low, high, integer=False):
    value = config[key]
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
        what = "an integer" if integer else "a number"
        raise ValueError(f"config {key!r} expects {what} in [{low}, {high}], got {value!r}")
    return int(value) if integer else float(value)


def _features(features):
    if not isinstance(features, list) or not features or any(f not in FEATURES for f in features):
        raise ValueError(f"config 'features' expects a non-empty list drawn from {list(FEATURES)}, got {features!r}")
    return [name for name in FEATURES if name in features]  # one order, whatever the page sent


def _hidden(hidden):
    if not isinstance(hidden, list):
        raise ValueError(f"config 'hidden' expects a list of layer sizes, got {hidden!r}")
    if len(hidden) > MAX_LAYERS:
        raise ValueError(f"config 'hidden' expects 0 to {MAX_LAYERS} layers, got {len(hidden)}")
    for size in hidden:
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_NEURONS:
            raise ValueError(f"config 'hidden' expects layer sizes from 1 to {MAX_NEURONS}, got {hidden!r}")
    return list(hidden)


def _points(points):
    if not isinstance(points, list) or len(points) > MAX_POINTS:
        raise ValueError(f"config 'points' expects a list of at most {MAX_POINTS} [x1, x2, class], got {points!r}")
    checked = []
    for point in points:
        ok = isinstance(point, list) and len(point) == 3 and all(isinstance(v, numbers.Real) for v in point)
        if not ok or point[0] not in PLANE or point[1] not in PLANE or point[2] not in range(5):
            raise ValueError(f"config 'points' expects [x1, x2, class] in [-6, 6]^2 x {{0..4}}, got {point!r}")
        checked.append([float(point[0]), float(point[1]), int(point[2])])
    return checked
