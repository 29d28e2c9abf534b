"""MNIST and Fashion-MNIST from their IDX files, found locally or downloaded and verified."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnscratch.data import download as dl
from nnscratch.data.idx import read_idx_bytes, read_idx_content
from nnscratch.data.locations import ENV_VAR, cache_dir, search_dirs

KEYS = ("train_images", "train_labels", "test_images", "test_labels")


@dataclass(frozen=True)
class IdxDataset:
    """An MNIST-style data set: four IDX files, their mirrors, and system folders to look in."""

    name: str
    title: str
    resources: dict
    mirrors: tuple
    system_dirs: tuple = ()


MNIST = IdxDataset(
    "mnist",
    "MNIST",
    {
        "train_images": dl.Resource(
            "train-images-idx3-ubyte.gz",
            "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            9912422,
            "6bbc9ace898e44ae57da46a324031adb",
            47040016,
        ),
        "train_labels": dl.Resource(
            "train-labels-idx1-ubyte.gz",
            "d53e105ee54ea40749a09fcbcd1e9432",
            28881,
            "a25bea736e30d166cdddb491f175f624",
            60008,
        ),
        "test_images": dl.Resource(
            "t10k-images-idx3-ubyte.gz",
            "9fb629c4189551a2d022fa330f9573f3",
            1648877,
            "2646ac647ad5339dbf082846283269ea",
            7840016,
        ),
        "test_labels": dl.Resource(
            "t10k-labels-idx1-ubyte.gz",
            "ec29112dd5afa0611ce80d1b7f02629c",
            4542,
            "27ae3e4e09519cfbb04c329615203637",
            10008,
        ),
    },
    mirrors=("https://ossci-datasets.s3.amazonaws.com/mnist", "http://yann.lecun.com/exdb/mnist"),
)

FASHION_MNIST = IdxDataset(
    "fashion-mnist",
    "Fashion-MNIST",
    {
        "train_images": dl.Resource(
            "train-images-idx3-ubyte.gz",
            "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            26421880,
            "f4a8712d7a061bf5bd6d2ca38dc4d50a",
            47040016,
        ),
        "train_labels": dl.Resource(
            "train-labels-idx1-ubyte.gz",
            "25c81989df183df01b3e8a0aad5dffbe",
            29515,
            "9018921c3c673c538a1fc5bad174d6f9",
            60008,
        ),
        "test_images": dl.Resource(
            "t10k-images-idx3-ubyte.gz",
            "bef4ecab320f06d8554ea6380940ec79",
            4422102,
            "8181f5470baa50b63fa0f6fddb340f0a",
            7840016,
        ),
        "test_labels": dl.Resource(
            "t10k-labels-idx1-ubyte.gz",
            "bb300cfdad3c16e7a12a480ee83cd310",
            5148,
            "15d484375f8d13e6eb1aabb0c3f46965",
            10008,
        ),
    },
    # The https copies Keras downloads come first; Zalando's own bucket speaks only http.
    mirrors=(
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets",
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com",
    ),
    # Debian's and Ubuntu's dataset-fashion-mnist package puts the files here.
    system_dirs=("/usr/share/datasets/fashion-mnist",),
)

FASHION_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def load_mnist(data_dir=None, download=True, mirrors=None, normalize=True, flatten=True, one_hot_label=False):
    """Load MNIST as ``((x_train, t_train), (x_test, t_test))``.

    Files are looked for, in order, in ``data_dir``, ``$NNSCRATCH_DATA/mnist``
    and ``~/.cache/nnscratch/mnist``, as raw IDX files or ``.gz`` archives;
    either is accepted only if its content has the official size and MD5, so
    Fashion-MNIST files (same names) are never taken for MNIST. Missing files
    are downloaded from the first working mirror into ``data_dir`` or the
    cache, verified by size and MD5.

    Parameters
    ----------
    data_dir : path, optional
    download : bool, default=True
    mirrors : sequence of str, optional
        Base URLs to download from instead of the official ones.
    normalize : bool, default=True
        Scale pixels to [0, 1]; else keep 0-255 (as float32).
    flatten : bool, default=True
        x of shape (N, 784); else (N, 1, 28, 28).
    one_hot_label : bool, default=False
        t of shape (N, 10) float32; else (N,) int64.

    Returns
    -------
    (x_train, t_train), (x_test, t_test)
        60,000 and 10,000 samples; x float32.
    """
    return load_idx_dataset(MNIST, data_dir, download, mirrors, normalize, flatten, one_hot_label)


def load_fashion_mnist(data_dir=None, download=True, mirrors=None, normalize=True, flatten=True, one_hot_label=False):
    """Load Fashion-MNIST like :func:`load_mnist`, from ``data_dir``,
    ``$NNSCRATCH_DATA/fashion-mnist``, Debian's ``dataset-fashion-mnist`` folder
    or the cache."""
    return load_idx_dataset(FASHION_MNIST, data_dir, download, mirrors, normalize, flatten, one_hot_label)


def load_idx_dataset(
    dataset, data_dir=None, download=True, mirrors=None, normalize=True, flatten=True, one_hot_label=False
):
    """Find or fetch the four IDX files of ``dataset`` and turn them into arrays."""
    # MNIST and Fashion-MNIST share file names: never look in the shared root of $NNSCRATCH_DATA.
    dirs = search_dirs(dataset.name, data_dir, dataset.system_dirs, shared_root=False)
    arrays = {}
    for key in KEYS:
        resource = dataset.resources[key]
        array = _find_local(resource, dirs)
        if array is None:
            array = _fetch(dataset, resource, dirs, data_dir, download, mirrors)
        arrays[key] = array
    train = _to_arrays(arrays["train_images"], arrays["train_labels"], normalize, flatten, one_hot_label, dataset)
    test = _to_arrays(arrays["test_images"], arrays["test_labels"], normalize, flatten, one_hot_label, dataset)
    return train, test


def _find_local(resource, dirs):
    raw_name = resource.filename.removesuffix(".gz")
    for directory in dirs:
        for path in (directory / raw_name, directory / resource.filename):
            if path.is_file():
                return read_checked(path, resource)
    return None


def read_checked(path, resource):
    """Read a raw or ``.gz`` IDX file whose content must be the resource's official content.

    The content is decompressed a chunk at a time, never past the official
    size, and hashed as it is read; a re-compressed copy (Debian repacks the
    ``.gz`` files) is accepted because its content is the same.

    Raises
    ------
    ValueError
        Naming ``path``, if it is damaged or holds other data (saying which, when it is
        another known data set's file).
    """
    digest = hashlib.md5(usedforsecurity=False)  # the published checksums are MD5; integrity only
    content = read_idx_content(path, max_bytes=resource.content_size, digest=digest)
    array = read_idx_bytes(content, source=str(path))
    if len(content) != resource.content_size or digest.hexdigest() != resource.content_md5:
        known = _identify(digest.hexdigest())
        raise ValueError(
            f"{path} does not hold the official content of {resource.filename} (expected {resource.content_size} "
            f"bytes with MD5 {resource.content_md5}, got {len(content)} bytes with MD5 {digest.hexdigest()})"
            + (f"; it is {known}" if known else "")
            + "; delete it to download a fresh copy"
        )
    return array


def _identify(content_md5):
    """Say which known data set's file has this content, if any."""
    for dataset in (MNIST, FASHION_MNIST):
        for resource in dataset.resources.values():
            if resource.content_md5 == content_md5:
                return f"{dataset.title}'s {resource.filename}"
    return None


def _fetch(dataset, resource, dirs, data_dir, download, mirrors):
    where = _where_to_put(dataset, dirs)
    if not download:
        raise FileNotFoundError(f"{dataset.title} file {resource.filename} not found. {where}")
    target = Path(data_dir) if data_dir is not None else cache_dir(dataset.name)
    try:
        path = dl.download(resource, target, mirrors or dataset.mirrors)
    except dl.DownloadError as error:
        raise dl.DownloadError(f"{error}\n{where}") from None
    return read_checked(path, resource)


def _where_to_put(dataset, dirs):
    names = ", ".join(r.filename for r in dataset.resources.values())
    folders = "\n  ".join(str(d) for d in dirs)
    return (
        f"Put the {dataset.title} files ({names}; raw or .gz) in one of:\n  {folders}\n"
        f"or pass data_dir=... (--data-dir on the command line), or set {ENV_VAR}."
    )


def _to_arrays(images, labels, normalize, flatten, one_hot_label, dataset):
    if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(
            f"{dataset.title} images must be (N, 28, 28) with N labels, got {images.shape} and {labels.shape}"
        )
    if labels.dtype.kind not in "iu":
        raise ValueError(f"{dataset.title} labels must be integers 0-9, got an IDX file of {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(f"{dataset.title} labels must be 0-9, got values from {labels.min()} to {labels.max()}")
    x = images.astype(np.float32)
    if normalize:
        x /= 255.0
    x = x.reshape(len(x), 784) if flatten else x.reshape(len(x), 1, 28, 28)
    t = labels.astype(np.int64)
    return x, (np.eye(10, dtype=np.float32)[t] if one_hot_label else t)
