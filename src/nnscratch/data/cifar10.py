"""CIFAR-10, binary version: fixed 3073-byte records, never pickle.

Each record is one label byte (0-9) then 3072 pixel bytes: the 1024 red, then
1024 green, then 1024 blue values of a 32x32 image, row by row. The archive
``cifar-10-binary.tar.gz`` holds ``cifar-10-batches-bin/data_batch_1.bin`` to
``data_batch_5.bin`` (10,000 records each) and ``test_batch.bin``.

A folder is used only when all six files have exactly that size; a folder
left half-extracted (a file missing or cut short) is extracted again from the
archive. Extraction writes each file to a temporary name and renames it, so
it never leaves a half-written batch under a batch's name.
"""

import os
import shutil
import tarfile
from pathlib import Path

import numpy as np

from nnscratch.data import download as dl
from nnscratch.data.locations import ENV_VAR, cache_dir, search_dirs
from nnscratch.io import create_temp_file

RECORD_BYTES = 1 + 3 * 32 * 32
RECORDS_PER_BATCH = 10_000
FOLDER = "cifar-10-batches-bin"
TRAIN_FILES = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
TEST_FILE = "test_batch.bin"
ARCHIVE = dl.Resource("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530", 170052171)
MIRRORS = ("https://www.cs.toronto.edu/~kriz",)
CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def read_batch(path, n_records=None):
    """Read one ``.bin`` batch file.

    Parameters
    ----------
    path : str or Path
    n_records : int, optional
        The number of records the file must hold (10,000 in the official batches).

    Returns
    -------
    images : ndarray of uint8, shape (N, 3, 32, 32)
    labels : ndarray of uint8, shape (N,)

    Raises
    ------
    ValueError
        If the size is not a whole number of 3073-byte records (or not ``n_records`` of
        them), or a label is over 9.
    """
    data = Path(path).read_bytes()
    if len(data) == 0 or len(data) % RECORD_BYTES:
        raise ValueError(
            f"{path} has {len(data)} bytes, not a whole number of {RECORD_BYTES}-byte CIFAR-10 records; "
            "the file is truncated or damaged"
        )
    if n_records is not None and len(data) != n_records * RECORD_BYTES:
        raise ValueError(
            f"{path} holds {len(data) // RECORD_BYTES} CIFAR-10 records, expected {n_records}; "
            "the file is truncated or not an official batch"
        )
    records = np.frombuffer(data, dtype=np.uint8).reshape(-1, RECORD_BYTES)
    labels = records[:, 0].copy()
    if labels.max() > 9:
        raise ValueError(f"{path} holds a label {labels.max()}; CIFAR-10 labels are 0-9")
    return records[:, 1:].reshape(-1, 3, 32, 32).copy(), labels


def load_cifar10(data_dir=None, download=True, normalize=True, flatten=False, mirrors=None):
    """Load CIFAR-10 as ``((x_train, t_train), (x_test, t_test))``.

    The folder ``cifar-10-batches-bin`` is looked for in ``data_dir``,
    ``$NNSCRATCH_DATA/cifar10``, ``$NNSCRATCH_DATA`` and
    ``~/.cache/nnscratch/cifar10``; an archive ``cifar-10-binary.tar.gz`` found
    there (or downloaded, verified by size and MD5) is unpacked beside it.

    Parameters
    ----------
    data_dir : path, optional
    download : bool, default=True
    normalize : bool, default=True
        Scale pixels to [0, 1]; else keep 0-255 (as float32).
    flatten : bool, default=False
        x of shape (N, 3072); else (N, 3, 32, 32).
    mirrors : sequence of str, optional

    Returns
    -------
    (x_train, t_train), (x_test, t_test)
        50,000 and 10,000 samples; x float32, t int64.
    """
    folder = _find_or_fetch(data_dir, download, mirrors)
    train = [read_batch(folder / name, RECORDS_PER_BATCH) for name in TRAIN_FILES]
    x_train, t_train = np.concatenate([x for x, _ in train]), np.concatenate([t for _, t in train])
    x_test, t_test = read_batch(folder / TEST_FILE, RECORDS_PER_BATCH)
    return _to_arrays(x_train, t_train, normalize, flatten), _to_arrays(x_test, t_test, normalize, flatten)


def _find_or_fetch(data_dir, download, mirrors):
    dirs = search_dirs("cifar10", data_dir)
    damaged = None
    for directory in dirs:
        problem = _folder_problem(directory / FOLDER)
        if problem is None:
            return directory / FOLDER
        if (directory / ARCHIVE.filename).is_file():
            dl.verify(directory / ARCHIVE.filename, ARCHIVE)
            return _extract(directory / ARCHIVE.filename, directory)
        if damaged is None and (directory / FOLDER).is_dir():
            damaged = f"{directory / FOLDER} is incomplete ({problem}), and no {ARCHIVE.filename} is beside it. "
    where = (
        f"Put {FOLDER}/ (data_batch_1.bin ... test_batch.bin) or {ARCHIVE.filename} in one of:\n  "
        + "\n  ".join(str(d) for d in dirs)
        + f"\nor pass data_dir=... (--data-dir on the command line), or set {ENV_VAR}."
    )
    if not download:
        raise (ValueError(damaged + where) if damaged else FileNotFoundError(f"CIFAR-10 not found. {where}"))
    target = Path(data_dir) if data_dir is not None else cache_dir("cifar10")
    try:
        archive = dl.download(ARCHIVE, target, mirrors or MIRRORS)
    except dl.DownloadError as error:
        raise dl.DownloadError(f"{error}\n{damaged or ''}{where}") from None
    return _extract(archive, target)


def _folder_problem(folder):
    """What is wrong with an extracted folder (a file missing or of the wrong size), or None."""
    size = RECORDS_PER_BATCH * RECORD_BYTES
    for name in (*TRAIN_FILES, TEST_FILE):
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        if path.stat().st_size != size:
            return f"{name} has {path.stat().st_size} bytes, expected {size}"
    return None


def _extract(archive, directory):
    """Unpack only the six expected regular files of the archive, each through a temporary file.

    The members are copied by hand rather than with ``extractall``: no path,
    link or permission from the archive reaches the disk (only the six names
    asked for, as plain files honouring the umask), and it works the same on
    every Python (``extractall(filter=...)`` is missing before 3.11.4).
    """
    folder = Path(directory) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"{FOLDER}/{name}": folder / name for name in (*TRAIN_FILES, TEST_FILE)}
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: m for m in tar.getmembers() if m.name in wanted and m.isfile()}
        if set(members) != set(wanted):
            raise ValueError(f"{archive} lacks {sorted(set(wanted) - set(members))}")
        for name, member in members.items():
            fd, tmp_path = create_temp_file(folder, f".{member.name.rsplit('/', 1)[1]}.", ".part")
            try:
                with os.fdopen(fd, "wb") as out, tar.extractfile(member) as source:
                    shutil.copyfileobj(source, out)
                os.replace(tmp_path, wanted[name])
            finally:
                tmp_path.unlink(missing_ok=True)
    return folder


def _to_arrays(images, labels, normalize, flatten):
    x = images.astype(np.float32)
    if normalize:
        x /= 255.0
    return (x.reshape(len(x), -1) if flatten else x), labels.astype(np.int64)
