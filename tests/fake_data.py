"""Small files in the real formats of MNIST and CIFAR-10, made by the tests."""

import gzip
import hashlib
import io
import tarfile

import numpy as np

from nnscratch.data import cifar10
from nnscratch.data.download import Resource
from nnscratch.data.idx import write_idx
from nnscratch.data.mnist import KEYS, IdxDataset


def mnist_like_arrays(n_train=300, n_test=100, seed=0):
    """Images whose label is readable from the pixels: class k lights up column block k."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for split, n in (("train", n_train), ("test", n_test)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
        for i, label in enumerate(labels):
            images[i, 4:24, 2 + 2 * label : 4 + 2 * label] = 250
        arrays[f"{split}_images"], arrays[f"{split}_labels"] = images, labels
    return arrays


def write_mnist_files(directory, arrays, compress=True):
    """Write the four IDX files into ``directory``; return name -> bytes as written."""
    names = {
        "train_images": "train-images-idx3-ubyte",
        "train_labels": "train-labels-idx1-ubyte",
        "test_images": "t10k-images-idx3-ubyte",
        "test_labels": "t10k-labels-idx1-ubyte",
    }
    written = {}
    for key in KEYS:
        path = write_idx(directory / (names[key] + (".gz" if compress else "")), arrays[key])
        written[path.name] = path.read_bytes()
    return written


def dataset_for(files, name="mnist", mirrors=()):
    """An IdxDataset whose official checksums are those of the given files (raw or ``.gz``).

    For raw files the official archive is taken to be ``gzip.compress(content, mtime=0)``,
    what :func:`write_idx` writes.
    """
    resources = {}
    for key, filename in zip(KEYS, sorted(files, key=_key_order), strict=True):
        body = files[filename]
        content = gzip.decompress(body) if filename.endswith(".gz") else body
        archive = body if filename.endswith(".gz") else gzip.compress(content, mtime=0)
        resources[key] = Resource(
            filename.removesuffix(".gz") + ".gz",
            hashlib.md5(archive).hexdigest(),
            len(archive),
            hashlib.md5(content).hexdigest(),
            len(content),
        )
    return IdxDataset(name, name.upper(), resources, tuple(mirrors))


def _key_order(filename):
    return ["train-images", "train-labels", "t10k-images", "t10k-labels"].index(filename.rsplit("-", 2)[0])


def cifar_batches(per_batch=20, seed=0):
    """name -> bytes of the six CIFAR-10 binary batch files, and the arrays they hold."""
    rng = np.random.default_rng(seed)
    files, arrays = {}, {}
    for name in (*cifar10.TRAIN_FILES, cifar10.TEST_FILE):
        labels = rng.integers(0, 10, per_batch).astype(np.uint8)
        images = rng.integers(0, 256, (per_batch, 3, 32, 32)).astype(np.uint8)
        records = np.concatenate([labels[:, None], images.reshape(per_batch, -1)], axis=1)
        files[name], arrays[name] = records.tobytes(), (images, labels)
    return files, arrays


def cifar_archive(files):
    """The batch files packed as ``cifar-10-binary.tar.gz`` bytes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, body in files.items():
            info = tarfile.TarInfo(f"{cifar10.FOLDER}/{name}")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return buffer.getvalue()
