"""Safe files: written to a temporary file and renamed, read without pickle.

A crash mid-write leaves the previous file intact, never half a file, because
``os.replace`` swaps the complete temporary file in with one atomic rename.
Every temporary file is named ``.<name>.<16 hex digits>.tmp`` (downloads use
``.part``) in the folder of the file it becomes, so a run can find the ones a
killed process left behind (:data:`TEMP_NAME`).
"""

import json
import os
import re
import secrets
import zipfile
from pathlib import Path

import numpy as np
from numpy.lib import format as npy_format

# What create_temp_file names its files; a stale one left by a killed process matches this.
TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{16}\.(tmp|part)$")

# Deflate cannot shrink data by more than 1032:1, so a member claiming more is lying.
_MAX_DEFLATE_RATIO = 1032


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


class _HashingWriter:
    """A write-only stream that feeds every byte to ``hasher`` on its way to ``handle``.

    It has no ``seek`` or ``tell``, so ``zipfile`` (inside ``np.savez``) writes the
    archive front to back in one pass: the bytes hashed are exactly the file's bytes.
    """

    def __init__(self, handle, hasher):
        self.handle, self.hasher = handle, hasher

    def write(self, data):
        self.hasher.update(data)
        return self.handle.write(data)

    def flush(self):
        self.handle.flush()

    def read(self, *_):  # np.savez takes an object with ``read`` for a file, not a path
        raise OSError("this stream is write-only")


def atomic_write(path, write, hasher=None):
    """Call ``write(stream)`` to fill a temporary file, then rename it to ``path``.

    Parameters
    ----------
    path : path
        The file to (re)place; its folder is created if needed.
    write : callable (binary stream) -> None
    hasher : hashlib object, optional
        Fed the bytes as they are written (the stream then cannot seek), so a
        digest describes what this call wrote, not what the file holds later.

    Raises
    ------
    OSError
        Naming ``path``, if the disk is full or the folder unwritable; ``path``
        then still holds its previous content (or does not exist).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = create_temp_file(path.parent, f".{path.name}.", ".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle if hasher is None else _HashingWriter(handle, hasher))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except OSError as error:
        Path(tmp_name).unlink(missing_ok=True)
        raise OSError(error.errno, f"could not write {path}: {error.strerror or error}") from error
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


_atomic_write = atomic_write  # the earlier private name


def save_npz(path, arrays, hasher=None):
    """Write ``arrays`` (dict of name -> ndarray) to ``path`` atomically, as ``.npz``.

    ``hasher`` (a hashlib object), if given, is fed the file's bytes as they are written.
    """
    return atomic_write(path, lambda handle: np.savez(handle, **arrays), hasher)


def write_text(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))


def write_json(path, data):
    """Write ``data`` as indented JSON to ``path`` atomically."""
    return write_text(path, json.dumps(data, indent=2, allow_nan=False) + "\n")


def load_npz(path):
    """Read an ``.npz`` file into a dict of arrays, refusing pickled objects.

    Each member's header is read first: an array whose shape and dtype call
    for more bytes than the member holds (an 8 TiB claim in a small file) is
    refused before anything is allocated.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a readable ``.npz`` archive (truncated, damaged), a
        member's header disagrees with its size, or it holds pickled objects.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                _check_member(archive, info, path.stat().st_size)
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RecursionError) as error:
        raise ValueError(f"{path} is not a valid .npz file ({error})") from None


def _check_member(archive, info, archive_size):
    """Raise ValueError unless the ``.npy`` member ``info`` holds the bytes its header promises."""
    if info.compress_size > archive_size:
        raise ValueError(f"member {info.filename} claims {info.compress_size} bytes in a file of {archive_size}")
    if info.compress_type != zipfile.ZIP_STORED and info.file_size > _MAX_DEFLATE_RATIO * info.compress_size + 64:
        raise ValueError(f"member {info.filename} claims to expand {info.compress_size} bytes to {info.file_size}")
    with archive.open(info) as member:
        shape, dtype = _read_header(member, info.filename)
        header_size = member.tell()
    needed = int(np.prod(shape, dtype=object)) * dtype.itemsize  # Python ints: no overflow
    if needed != info.file_size - header_size:
        raise ValueError(
            f"member {info.filename}: its header claims shape {shape} of {dtype} ({needed:,} bytes), "
            f"but it holds {info.file_size - header_size:,} bytes"
        )


def _read_header(member, name):
    """(shape, dtype) from an ``.npy`` header; object arrays (pickles) are refused."""
    version = npy_format.read_magic(member)
    readers = {(1, 0): npy_format.read_array_header_1_0, (2, 0): npy_format.read_array_header_2_0}
    if version not in readers:
        raise ValueError(f"member {name} is .npy version {version}; expected 1.0 or 2.0")
    shape, _, dtype = readers[version](member)
    if dtype.hasobject:
        raise ValueError(f"member {name} holds Python objects (pickle), which are never loaded")
    return shape, dtype
