"""Checkpoints: everything needed to continue a run exactly, as ``.npz`` + JSON.

A checkpoint for epoch e is two files in the checkpoint folder:

- ``epoch-000e.npz``: the model's parameters and buffers (``model/<name>``), the
  optimizer's state (``optim/<key>/<slot>``) and, with early stopping, the
  best weights so far (``best/<name>``);
- ``epoch-000e.json``: epoch, history, optimizer hyperparameters and step
  count, the random generators' states, and the SHA-256 of the ``.npz``.

Both are written to a temporary file and renamed; the JSON goes last, so a
checkpoint counts only once both are complete. Loading checks the digest and
reads the arrays with ``allow_pickle=False``; a damaged checkpoint is
reported and the previous one is used instead.
"""

import hashlib
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from nnscratch import backend, io

NAME = re.compile(r"^epoch-(\d{4,})\.json$")


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
        JSON-able: history, optimizer info, generator states, ...
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
    npz = io.save_npz(stem.with_suffix(".npz"), arrays)
    meta = io.write_json(stem.with_suffix(".json"), {**info, "epoch": epoch, "sha256": _sha256(npz)})
    for old in _checkpoints(directory)[keep:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".npz").unlink(missing_ok=True)
    return meta


def _checkpoints(directory):
    """JSON files of the checkpoints in ``directory``, newest first."""
    found = [(int(m.group(1)), p) for p in Path(directory).glob("epoch-*.json") if (m := NAME.match(p.name))]
    return [p for _, p in sorted(found, reverse=True)]


def load(json_path):
    """Read one checkpoint, verifying its digest; raise ``ValueError`` if it is damaged."""
    json_path = Path(json_path)
    try:
        info = json.loads(json_path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"checkpoint {json_path} is unreadable ({error})") from None
    npz = json_path.with_suffix(".npz")
    if not npz.is_file():
        raise ValueError(f"checkpoint {json_path} has no {npz.name}")
    if _sha256(npz) != info.get("sha256"):
        raise ValueError(f"checkpoint {npz} is damaged: its SHA-256 does not match {json_path.name}")
    arrays = io.load_npz(npz)
    parts = {"model": {}, "optim": {}, "best": {}}
    for name, value in arrays.items():
        group, key = name.split("/", 1)
        parts[group][key] = value
    return Checkpoint(int(info["epoch"]), info, parts["model"], parts["optim"], parts["best"])


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
