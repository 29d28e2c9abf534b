"""A run's output folder: one run writes it at a time, and a new run never mixes with an old one.

While a training command runs it holds an exclusive lock on ``OUTPUT_DIR/.nnscratch.lock``
(``fcntl.flock``; the system drops it when the process ends, even by SIGKILL), so a second
run into the same folder stops at once. Holding the lock, the run then

- removes the temporary files a killed writer left behind (``io.TEMP_NAME``),
- refuses a folder that holds an earlier run (checkpoints or ``metrics.json``) unless
  told ``--resume`` (continue it) or ``--overwrite`` (remove that run's files first:
  :data:`RUN_FILES` and the checkpoints, nothing else).
"""

import contextlib
import dataclasses
import functools
import os
from pathlib import Path

from nnscratch import io
from nnscratch.train import checkpoint

try:
    import fcntl
except ImportError:  # Windows: runs go unlocked there
    fcntl = None

LOCK_NAME = ".nnscratch.lock"

# Every file a training command writes into its folder, besides checkpoints/epoch-*.{json,npz}.
RUN_FILES = (
    "metrics.json",
    "model.npz",
    "history.png",
    "weights.png",
    "prediction.png",
    "confusion.png",
    "filters.png",
    "feature_maps.png",
    "xor_boundary.png",
    "softmax_history.png",
    "softmax_boundary.png",
    "two_layer_history.png",
    "two_layer_boundary.png",
)


class FolderInUseError(RuntimeError):
    """Another run holds the output folder's lock."""


class UsedFolderError(ValueError):
    """The output folder holds an earlier run, and neither --resume nor --overwrite was given."""


def owning(command):
    """``command`` (a ``Command``) run while it owns its ``--output-dir``, with an ``--overwrite`` option."""

    @functools.wraps(command.run)
    def run(args):
        resumable = hasattr(args, "resume")
        with claimed(args.output_dir, getattr(args, "resume", False), args.overwrite, resumable):
            return command.run(args)

    def options(sub):
        if command.options is not None:
            command.options(sub)
        sub.add_argument(
            "--overwrite",
            action="store_true",
            help="start afresh in a used OUTPUT_DIR: first remove the earlier run's checkpoints, "
            "metrics.json, model.npz and plots (nothing else)",
        )

    return dataclasses.replace(command, run=run, options=options)


@contextlib.contextmanager
def claimed(output_dir, resume=False, overwrite=False, resumable=True):
    """Hold ``output_dir`` for one run: lock it, clean it, check it is this run's to write.

    Raises
    ------
    FolderInUseError
        If another run holds the folder.
    UsedFolderError
        If the folder holds an earlier run and neither ``resume`` nor ``overwrite`` is set,
        if both are set, or if ``resume`` finds only a finished run without checkpoints.
    """
    folder = Path(output_dir)
    if resume and overwrite:
        raise UsedFolderError("--resume and --overwrite exclude each other: continue the run, or start afresh")
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"--output-dir {folder} is a file, not a folder; name a folder for the run's files")
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        _remove_stale_temporaries(folder)
        if overwrite:
            _remove_earlier_run(folder)
        elif resume:
            _check_resumable(folder)
        else:
            _refuse_used(folder, resumable)
        yield folder


@contextlib.contextmanager
def _locked(folder):
    """An exclusive lock on ``folder/.nnscratch.lock`` (which holds the owner's pid) while inside."""
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
                raise FolderInUseError(
                    f"{folder} is in use by another run (pid {owner}, see {path}); "
                    "wait for it to end or choose another --output-dir"
                ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock


def _remove_stale_temporaries(folder):
    """Delete the temporary files an interrupted writer left in ``folder`` and its checkpoints."""
    stale = [p for where in (folder, folder / "checkpoints") if where.is_dir() for p in where.iterdir()]
    stale = [p for p in stale if io.TEMP_NAME.match(p.name) and p.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    if stale:
        print(f"removed {len(stale)} temporary file(s) an interrupted run left in {folder}")


def _earlier_run(folder):
    """What in ``folder`` shows an earlier run: its files, as a short phrase, or None."""
    found = checkpoint.files(folder / "checkpoints")
    parts = [f"{len(found)} checkpoint file(s)"] if found else []
    if (folder / "metrics.json").exists():
        parts.append("metrics.json")
    return " and ".join(parts) or None


def _refuse_used(folder, resumable):
    what = _earlier_run(folder)
    if what is not None:
        ways = "continue it with --resume, or start afresh" if resumable else "start afresh"
        raise UsedFolderError(
            f"{folder} already holds a run ({what}); {ways} with --overwrite, which removes that run's files, "
            "or choose another --output-dir"
        )


def _check_resumable(folder):
    """A folder with checkpoints, or none of an earlier run (a new run starts, and says so)."""
    if checkpoint.files(folder / "checkpoints"):
        return
    if (folder / "metrics.json").exists():
        raise UsedFolderError(
            f"--resume: {folder} holds a run without checkpoints to continue (only metrics.json); "
            "start afresh with --overwrite, or choose another --output-dir"
        )
    print(f"--resume: no checkpoint in {folder / 'checkpoints'}, so a new run starts")


def _remove_earlier_run(folder):
    """Delete the earlier run's files (RUN_FILES and the checkpoints), leaving anything else."""
    doomed = [folder / name for name in RUN_FILES if (folder / name).is_file()]
    doomed += checkpoint.files(folder / "checkpoints")
    for path in doomed:
        path.unlink()
    with contextlib.suppress(OSError):  # kept if it holds files of the user's own
        (folder / "checkpoints").rmdir()
    if doomed:
        print(f"--overwrite: removed the earlier run's {len(doomed)} file(s) from {folder}")
