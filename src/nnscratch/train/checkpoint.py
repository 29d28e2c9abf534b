"""Checkpoints: everything needed to continue a run exactly, as ``.npz`` + JSON.

A checkpoint for epoch e is two files in the checkpoint folder:

- ``epoch-000e.npz``: the model's parameters and buffers (``model/<name>``), the
  optimizer's state (``optim/<key>/<slot>``) and, with early stopping, the
  best weights so far (``best/<name>``);
- ``epoch-000e.json``: epoch, history, optimizer hyperparameters and step
  count, the random generators' states, the run's settings (what a resume
  must not change) and the SHA-256 of the ``.npz``.

Both are written to a temporary file and renamed; the JSON goes last, so a
checkpoint counts only once both are complete. The digest is computed from
the bytes as they are written, so an ``.npz`` replaced by anyone else after
that no longer matches. Loading checks the digest, the JSON's structure and
every array (real, finite numbers; optimizer slots shaped like their
parameters), reading with ``allow_pickle=False``; a damaged checkpoint is
reported and the previous one is used instead.
"""

import hashlib
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnscratch import backend, io

NAME = re.compile(r"^epoch-(\d{4,})\.json$")
FILE_NAME = re.compile(r"^epoch-\d{4,}\.(json|npz)$")  # both halves: what a fresh start removes

# The JSON keys a checkpoint needs, with the type each must have.
REQUIRED = {"epoch": int, "sha256": str, "history": list, "optimizer": dict, "rng": dict, "model_rngs": dict}
GROUPS = ("model", "optim", "best")


@dataclass
class Checkpoint:
    """What :func:`load_latest` returns; arrays are NumPy."""

    epoch: int
    info: dict
    model: dict
    optimizer: dict
    best: dict = field(default_factory=dict)


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save(directory, epoch, info, model_arrays, optimizer_arrays, best_arrays=None, keep=3):
    """Write the checkpoint of ``epoch`` and delete all but the newest ``keep``.

    Parameters
    ----------
    directory : path
    epoch : int
        Epochs completed.
    info : dict
        JSON-able: history, optimizer info, generator states, settings, ...
    model_arrays, optimizer_arrays, best_arrays : dict[str, ndarray]
    keep : int, default=3

    Returns
    -------
    Path of the JSON file.
    """
    directory = Path(directory)
    stem = directory / f"epoch-{epoch:04d}"
    arrays = {f"model/{k}": backend.to_numpy(v) for k, v in model_arrays.items()}
    arrays.update({f"optim/{k}": backend.to_numpy(v) for k, v in optimizer_arrays.items()})
    arrays.update({f"best/{k}": backend.to_numpy(v) for k, v in (best_arrays or {}).items()})
    digest = hashlib.sha256()
    io.save_npz(stem.with_suffix(".npz"), arrays, hasher=digest)
    meta = io.write_json(stem.with_suffix(".json"), {**info, "epoch": epoch, "sha256": digest.hexdigest()})
    for old in _checkpoints(directory)[keep:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".npz").unlink(missing_ok=True)
    return meta


def _checkpoints(directory):
    """JSON files of the checkpoints in ``directory``, newest first."""
    found = [(int(m.group(1)), p) for p in Path(directory).glob("epoch-*.json") if (m := NAME.match(p.name))]
    return [p for _, p in sorted(found, reverse=True)]


def files(directory):
    """Every checkpoint file in ``directory`` (JSON and ``.npz``, complete or orphaned)."""
    directory = Path(directory)
    return sorted(p for p in directory.glob("epoch-*") if FILE_NAME.match(p.name)) if directory.is_dir() else []


def load(json_path):
    """Read one checkpoint, verifying its digest and contents; raise ``ValueError`` naming what is wrong."""
    json_path = Path(json_path)
    info = _read_info(json_path)
    npz = json_path.with_suffix(".npz")
    if not npz.is_file():
        raise ValueError(f"checkpoint {json_path} has no {npz.name}")
    if _sha256(npz) != info["sha256"]:
        raise ValueError(f"checkpoint {npz} is damaged: its SHA-256 does not match {json_path.name}")
    parts = _split(io.load_npz(npz), npz)
    _check_arrays(parts, npz)
    return Checkpoint(info["epoch"], info, parts["model"], parts["optim"], parts["best"])


def _read_info(json_path):
    """The checkpoint's JSON as a dict, its keys and types checked against the file's name."""
    try:
        info = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else error
        raise ValueError(f"checkpoint {json_path} is unreadable ({reason})") from None
    if not isinstance(info, dict):
        raise ValueError(f"checkpoint {json_path} must hold a JSON object, got a {type(info).__name__}")
    for key, kind in REQUIRED.items():
        if not isinstance(info.get(key), kind) or isinstance(info.get(key), bool):
            got = "nothing" if key not in info else type(info[key]).__name__
            raise ValueError(f"checkpoint {json_path}: {key!r} must be a {kind.__name__}, got {got}")
    match = NAME.match(json_path.name)
    if match and int(match.group(1)) != info["epoch"]:
        raise ValueError(
            f"checkpoint {json_path} records epoch {info['epoch']}, not the {int(match.group(1))} its name says"
        )
    if len(info["history"]) != info["epoch"] or not all(isinstance(r, dict) for r in info["history"]):
        raise ValueError(f"checkpoint {json_path}: history must hold one record per epoch ({info['epoch']})")
    _check_rng(info["rng"], f"checkpoint {json_path}: 'rng'")
    for index, state in info["model_rngs"].items():
        _check_rng(state, f"checkpoint {json_path}: model_rngs[{index!r}]")
    return info


def _check_rng(state, where):
    """Raise ValueError unless ``state`` is a bit generator's state NumPy accepts."""
    try:
        np.random.default_rng().bit_generator.state = state
    except (TypeError, ValueError, KeyError) as error:
        raise ValueError(f"{where} is not a random generator's state ({error})") from None


def _split(arrays, npz):
    """``{"model": ..., "optim": ..., "best": ...}`` from the archive's ``<group>/<name>`` keys."""
    parts = {group: {} for group in GROUPS}
    for name, value in arrays.items():
        group, _, key = name.partition("/")
        if group not in parts or not key:
            raise ValueError(f"checkpoint {npz} holds {name!r}; expected names starting with model/, optim/ or best/")
        parts[group][key] = value
    return parts


def _check_arrays(parts, npz):
    """Real, finite numbers everywhere; optimizer slots and best weights shaped like the model's arrays."""
    model = parts["model"]
    for group, arrays in parts.items():
        for name, value in arrays.items():
            if value.dtype.kind != "f" or not np.isfinite(value).all():
                what = f"dtype {value.dtype}" if value.dtype.kind != "f" else "NaN or infinite values"
                raise ValueError(f"checkpoint {npz}: {group}/{name} holds {what}; expected finite real numbers")
            owner = name.rpartition("/")[0] if group == "optim" else name
            if group != "model" and (owner not in model or model[owner].shape != value.shape):
                expected = model[owner].shape if owner in model else "an array of the model"
                raise ValueError(f"checkpoint {npz}: {group}/{name} has shape {value.shape}, expected {expected}")


def load_latest(directory):
    """The newest checkpoint in ``directory`` that loads, or None if there is none.

    A damaged checkpoint gives a warning naming it and the previous one is
    tried. If checkpoints exist but none loads, ``ValueError`` says so.
    """
    candidates = _checkpoints(directory)
    problems = []
    for path in candidates:
        try:
            return load(path)
        except ValueError as error:
            problems.append(str(error))
            warnings.warn(f"{error}; trying the previous checkpoint", stacklevel=2)
    if problems:
        raise ValueError(f"no usable checkpoint in {directory}: " + "; ".join(problems))
    return None


def check_settings(found, settings, directory):
    """Raise ValueError listing each setting that differs from what checkpoint ``found`` recorded.

    Parameters
    ----------
    found : Checkpoint
    settings : dict
        The resuming run's settings, JSON-able (compared after a JSON round trip,
        so a tuple equals the list the checkpoint recorded).
    directory : path
        Named in the message.
    """
    recorded = found.info.get("settings")
    if not isinstance(recorded, dict):
        warnings.warn(
            f"the checkpoint of epoch {found.epoch} in {directory} records no settings to compare", stacklevel=2
        )
        return
    given = json.loads(json.dumps(settings))
    changed = [
        f"{name}: checkpoint {_shown(recorded, name)}, now {_shown(given, name)}"
        for name in sorted(set(recorded) | set(given))
        if name not in recorded or name not in given or recorded[name] != given[name]
    ]
    if changed:
        raise ValueError(
            f"cannot resume the run in {directory} with other settings ({'; '.join(changed)}); only --epochs and "
            "output options may change on --resume: give the run's settings, or use --overwrite to start afresh"
        )


def _shown(settings, name):
    return repr(settings[name]) if name in settings else "(not set)"
