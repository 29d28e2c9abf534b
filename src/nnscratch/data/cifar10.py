"""CIFAR-10, binary version: fixed 3073-byte records, never pickle.

Each record is one label byte (0-9) then 3072 pixel bytes: the 1024 red, then
1024 green, then 1024 blue values of a 32x32 image, row by row. The archive
``cifar-10-binary.tar.gz`` holds ``cifar-10-batches-bin/data_batch_1.bin`` to
``data_batch_5.bin`` (10,000 records each) and ``test_batch.bin``.
"""

import tarfile
from pathlib import Path

import numpy as np

from nnscratch.data import download as dl
from nnscratch.data.locations import ENV_VAR, cache_dir, search_dirs

RECORD_BYTES = 1 + 3 * 32 * 32
FOLDER = "cifar-10-batches-bin"
TRAIN_FILES = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
TEST_FILE = "test_batch.bin"
ARCHIVE = dl.Resource("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530", 170052171)
MIRRORS = ("https://www.cs.toronto.edu/~kriz",)
CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def read_batch(path):
    """Read one ``.bin`` batch file.

    Returns
    -------
    images : ndarray of uint8, shape (N, 3, 32, 32)
    labels : ndarray of uint8, shape (N,)

    Raises
    ------
    ValueError
        If the size is not a whole number of 3073-byte records or a label is over 9.
    """
    data = Path(path).read_bytes()
    if len(data) == 0 or len(data) % RECORD_BYTES:
        raise ValueError(
            f"{path} has {len(data)} bytes, not a whole number of {RECORD_BYTES}-byte CIFAR-10 records; "
            "the file is truncated or damaged"
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
    train = [read_batch(folder / name) for name in TRAIN_FILES]
    x_train, t_train = np.concatenate([x for x, _ in train]), np.concatenate([t for _, t in train])
    x_test, t_test = read_batch(folder / TEST_FILE)
    return _to_arrays(x_train, t_train, normalize, flatten), _to_arrays(x_test, t_test, normalize, flatten)


def _find_or_fetch(data_dir, download, mirrors):
    dirs = search_dirs("cifar10", data_dir)
    for directory in dirs:
        if all((directory / FOLDER / name).is_file() for name in (*TRAIN_FILES, TEST_FILE)):
            return directory / FOLDER
        if (directory / ARCHIVE.filename).is_file():
            dl.verify(directory / ARCHIVE.filename, ARCHIVE)
            return _extract(directory / ARCHIVE.filename, directory)
    where = (
        f"Put {FOLDER}/ (data_batch_1.bin ... test_batch.bin) or {ARCHIVE.filename} in one of:\n  "
        + "\n  ".join(str(d) for d in dirs)
        + f"\nor pass data_dir=... (--data-dir on the command line), or set {ENV_VAR}."
    )
    if not download:
        raise FileNotFoundError(f"CIFAR-10 not found. {where}")
    target = Path(data_dir) if data_dir is not None else cache_dir("cifar10")
    try:
        archive = dl.download(ARCHIVE, target, mirrors or MIRRORS)
    except dl.DownloadError as error:
        raise dl.DownloadError(f"{error}\n{where}") from None
    return _extract(archive, target)


def _extract(archive, directory):
    """Unpack only the six expected regular files of the archive, safely."""
    wanted = {f"{FOLDER}/{name}" for name in (*TRAIN_FILES, TEST_FILE)}
    with tarfile.open(archive, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.name in wanted and m.isfile()]
        if {m.name for m in members} != wanted:
            raise ValueError(f"{archive} lacks {sorted(wanted - {m.name for m in members})}")
        tar.extractall(directory, members=members, filter="data")
    return Path(directory) / FOLDER


def _to_arrays(images, labels, normalize, flatten):
    x = images.astype(np.float32)
    if normalize:
        x /= 255.0
    return (x.reshape(len(x), -1) if flatten else x), labels.astype(np.int64)
