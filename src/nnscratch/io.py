"""Safe files: written to a temporary file and renamed, read without pickle.

A crash mid-write leaves the previous file intact, never half a file, because
``os.replace`` swaps the complete temporary file in with one atomic rename.
"""

import json
import os
import secrets
import zipfile
from pathlib import Path

import numpy as np


def create_temp_file(directory, prefix, suffix):
    """Create a new, empty file with a random name in ``directory``, opened for writing.

    Unlike ``tempfile.mkstemp``, which makes files only their owner may read
    (mode 0600), the file gets the mode ``open()`` would give it: 0666 less
    the process umask. A data folder or run folder shared with a group then
    stays readable to it once the file is renamed into place.

    Returns
    -------
    fd : int
        An OS-level descriptor, open for writing in binary mode.
    path : Path
        ``directory / (prefix + random + suffix)``.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        path = Path(directory) / f"{prefix}{secrets.token_hex(8)}{suffix}"
        try:
            return os.open(path, flags, 0o666), path
        except FileExistsError:  # a name already taken: draw another
            continue
    raise FileExistsError(f"could not create a temporary file in {directory}: 100 random names were taken")


def _atomic_write(path, write):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = create_temp_file(path.parent, f".{path.name}.", ".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def save_npz(path, arrays):
    """Write ``arrays`` (dict of name -> ndarray) to ``path`` atomically, as ``.npz``."""
    return _atomic_write(path, lambda handle: np.savez(handle, **arrays))


def write_text(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return _atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))


def write_json(path, data):
    """Write ``data`` as indented JSON to ``path`` atomically."""
    return write_text(path, json.dumps(data, indent=2, allow_nan=False) + "\n")


def load_npz(path):
    """Read an ``.npz`` file into a dict of arrays, refusing pickled objects.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a readable ``.npz`` archive (truncated, damaged) or
        holds pickled objects.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ValueError(f"{path} is not a valid .npz file ({error})") from None
