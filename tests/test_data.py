"""Data loading: IDX parsing, verified downloads from a local server, the four data sets."""

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

from nnscratch.data import (
    DownloadError,
    cifar10,
    load_cifar10,
    load_fashion_mnist,
    load_iris,
    load_mnist,
    make_spiral,
    make_xor,
    read_idx,
    stratified_split,
    write_idx,
)
from nnscratch.data import mnist as mnist_module
from nnscratch.data.download import Resource, download
from nnscratch.data.mnist import load_idx_dataset

from fake_data import cifar_archive, cifar_batches, dataset_for, mnist_like_arrays, write_mnist_files
from servers import FileServer

# ---- IDX -------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_round_trip(tmp_path, suffix, rng):
    images = rng.integers(0, 256, (5, 28, 28)).astype(np.uint8)
    path = write_idx(tmp_path / f"images{suffix}", images)
    np.testing.assert_array_equal(read_idx(path), images)
    data = gzip.decompress(path.read_bytes()) if suffix else path.read_bytes()
    assert data[:4] == b"\x00\x00\x08\x03" and int.from_bytes(data[4:8], "big") == 5


def test_idx_rejects_bad_magic_truncation_and_missing_files(tmp_path):
    good = write_idx(tmp_path / "labels", np.arange(10, dtype=np.uint8)).read_bytes()
    (tmp_path / "magic").write_bytes(b"\x01" + good[1:])
    with pytest.raises(ValueError, match="bad magic number 0x01000801"):
        read_idx(tmp_path / "magic")
    (tmp_path / "short").write_bytes(good[:-3])
    with pytest.raises(ValueError, match=r"has 15 bytes but its header \(10,\) of uint8 promises 18"):
        read_idx(tmp_path / "short")
    (tmp_path / "broken.gz").write_bytes(gzip.compress(good)[:-10])
    with pytest.raises(ValueError, match="not a valid gzip file"):
        read_idx(tmp_path / "broken.gz")
    with pytest.raises(FileNotFoundError, match="no such IDX file"):
        read_idx(tmp_path / "absent")


# ---- downloads from a local server ----------------------------------------------------------


def test_download_skips_down_and_wrong_mirrors(tmp_path):
    body = b"the real file " * 100
    resource = Resource("data.bin", hashlib.md5(body).hexdigest(), len(body))
    with FileServer({"data.bin": body}) as server:
        path = download(resource, tmp_path, [server.down_url, server.url("wrong"), server.url("good")])
    assert path.read_bytes() == body
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.bin"]  # no temporary leftovers


def test_download_failure_names_file_mirrors_and_expectation(tmp_path):
    body = b"x" * 1000
    resource = Resource("data.bin", hashlib.md5(body).hexdigest(), len(body))
    with FileServer({"data.bin": body}) as server:
        mirrors = [server.down_url, server.url("wrong"), server.url("truncated")]
        with pytest.raises(DownloadError) as info:
            download(resource, tmp_path, mirrors)
    message = str(info.value)
    assert "could not download data.bin" in message
    assert server.down_url in message
    assert f"expected 1000 bytes with MD5 {resource.md5}, got 1000 bytes" in message  # the wrong copy
    assert "got 500 bytes" in message  # the truncated copy
    assert list(tmp_path.iterdir()) == []  # the bad files were deleted


# ---- MNIST-style data sets -------------------------------------------------------------------


@pytest.fixture
def mnist_files(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    arrays = mnist_like_arrays()
    return arrays, write_mnist_files(source, arrays)


def test_load_mnist_downloads_verifies_and_caches(tmp_path, mnist_files, monkeypatch):
    arrays, files = mnist_files
    monkeypatch.setattr(mnist_module, "MNIST", dataset_for(files))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NNSCRATCH_DATA", raising=False)
    with FileServer(files) as server:
        (x, t), (x_test, t_test) = load_mnist(mirrors=[server.down_url, server.url("wrong"), server.url("good")])
        downloads = len(server.requests)
        load_mnist(mirrors=[server.url("good")])  # second call: from the cache
        assert len(server.requests) == downloads
    cached = tmp_path / "cache" / "nnscratch" / "mnist"
    assert sorted(p.name for p in cached.iterdir()) == sorted(files)
    assert x.shape == (300, 784) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    np.testing.assert_array_equal(t, arrays["train_labels"])
    np.testing.assert_allclose(x_test[0], arrays["test_images"][0].reshape(-1) / 255, rtol=1e-6)
    assert t.dtype == np.int64 and x_test.shape == (100, 784)


def test_load_options_shape_the_arrays(tmp_path, mnist_files):
    arrays, files = mnist_files
    dataset = dataset_for(files)
    data_dir = tmp_path / "source"
    (x, t), _ = load_idx_dataset(dataset, data_dir, normalize=False, flatten=False, one_hot_label=True)
    assert x.shape == (300, 1, 28, 28) and x.max() == 250.0
    assert t.shape == (300, 10) and t.dtype == np.float32
    np.testing.assert_array_equal(t.argmax(axis=1), arrays["train_labels"])


def test_local_raw_files_are_checked_for_format(tmp_path, mnist_files):
    arrays, files = mnist_files
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    write_mnist_files(raw_dir, arrays, compress=False)
    (x, _), _ = load_idx_dataset(dataset_for(files), raw_dir, download=False)
    assert x.shape == (300, 784)
    damaged = raw_dir / "t10k-labels-idx1-ubyte"
    damaged.write_bytes(damaged.read_bytes()[:-1])
    with pytest.raises(ValueError, match="t10k-labels-idx1-ubyte has 107 bytes"):
        load_idx_dataset(dataset_for(files), raw_dir, download=False)


def test_local_archive_with_wrong_checksum_is_refused(tmp_path, mnist_files):
    arrays, files = mnist_files
    other = dict(arrays, train_labels=(arrays["train_labels"] + 1) % 10)
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    write_mnist_files(bad_dir, other)
    with pytest.raises(ValueError, match="does not match the official train-labels-idx1-ubyte.gz"):
        load_idx_dataset(dataset_for(files), bad_dir, download=False)


def test_recompressed_archive_is_accepted_by_its_content(tmp_path, mnist_files):
    _, files = mnist_files
    repacked = tmp_path / "repacked"
    repacked.mkdir()
    for name, body in files.items():  # same content, different gzip header: how Debian ships them
        (repacked / name).write_bytes(gzip.compress(gzip.decompress(body), compresslevel=1, mtime=123))
    (x, _), _ = load_idx_dataset(dataset_for(files), repacked, download=False)
    assert x.shape == (300, 784)


def test_environment_variable_folder_is_searched(tmp_path, mnist_files, monkeypatch):
    _, files = mnist_files
    monkeypatch.setenv("NNSCRATCH_DATA", str(tmp_path))
    (tmp_path / "source").rename(tmp_path / "mnist")
    (x, _), _ = load_idx_dataset(dataset_for(files), download=False)
    assert x.shape == (300, 784)


def test_missing_files_say_where_to_put_them(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NNSCRATCH_DATA", raising=False)
    with pytest.raises(FileNotFoundError) as info:
        load_mnist(data_dir=tmp_path / "mine", download=False)
    message = str(info.value)
    assert "train-images-idx3-ubyte.gz" in message and str(tmp_path / "mine") in message
    assert "NNSCRATCH_DATA" in message


def test_failed_download_also_says_where_to_put_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with FileServer({}) as server, pytest.raises(DownloadError, match="Put the MNIST files"):
        load_mnist(mirrors=[server.down_url])


FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")


@pytest.mark.skipif(not FASHION_DIR.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_real_fashion_mnist_from_the_debian_package():
    (x, t), (x_test, t_test) = load_fashion_mnist(download=False)
    assert x.shape == (60000, 784) and x_test.shape == (10000, 784) and x.dtype == np.float32
    assert np.bincount(t).tolist() == [6000] * 10 and np.bincount(t_test).tolist() == [1000] * 10
    assert 0.0 == x.min() and x.max() == 1.0
    assert t_test[:10].tolist() == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]  # the published first test labels


# ---- CIFAR-10 --------------------------------------------------------------------------------


@pytest.fixture
def cifar_resource(monkeypatch):
    files, arrays = cifar_batches()
    archive = cifar_archive(files)
    resource = Resource(cifar10.ARCHIVE.filename, hashlib.md5(archive).hexdigest(), len(archive))
    monkeypatch.setattr(cifar10, "ARCHIVE", resource)
    return files, arrays, archive


def test_cifar10_download_extract_and_decode(tmp_path, cifar_resource):
    files, arrays, archive = cifar_resource
    with FileServer({cifar10.ARCHIVE.filename: archive}) as server:
        mirrors = [server.url("truncated"), server.url("good")]
        (x, t), (x_test, t_test) = load_cifar10(data_dir=tmp_path, mirrors=mirrors)
    assert x.shape == (100, 3, 32, 32) and x_test.shape == (20, 3, 32, 32) and x.dtype == np.float32
    images, labels = arrays["data_batch_1.bin"]
    np.testing.assert_array_equal(t[:20], labels)
    # Record layout: 1024 red values, then green, then blue.
    np.testing.assert_allclose(x[0, 0], images[0, 0] / 255, rtol=1e-6)
    np.testing.assert_allclose(x[0, 2], images[0, 2] / 255, rtol=1e-6)
    np.testing.assert_array_equal(t_test, arrays["test_batch.bin"][1])
    (flat, _), _ = load_cifar10(data_dir=tmp_path, flatten=True, normalize=False, download=False)
    assert flat.shape == (100, 3072) and flat.max() > 1


def test_cifar10_damaged_batch_and_wrong_archive(tmp_path, cifar_resource):
    files, _, archive = cifar_resource
    folder = tmp_path / cifar10.FOLDER
    folder.mkdir()
    for name, body in files.items():
        (folder / name).write_bytes(body)
    (folder / "data_batch_3.bin").write_bytes(files["data_batch_3.bin"][:-5])
    with pytest.raises(ValueError, match="data_batch_3.bin has 61455 bytes, not a whole number of 3073-byte"):
        load_cifar10(data_dir=tmp_path, download=False)
    other = tmp_path / "other"
    other.mkdir()
    (other / cifar10.ARCHIVE.filename).write_bytes(archive[:-1])
    with pytest.raises(ValueError, match="is not the official cifar-10-binary.tar.gz"):
        load_cifar10(data_dir=other, download=False)


def test_cifar10_missing_says_where(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(FileNotFoundError, match="Put cifar-10-batches-bin/"):
        load_cifar10(data_dir=tmp_path, download=False)


# ---- shipped and toy data --------------------------------------------------------------------


def test_iris_is_shipped_complete():
    x, t = load_iris()
    assert x.shape == (150, 4) and np.bincount(t).tolist() == [50, 50, 50]
    np.testing.assert_array_equal(x[0], [5.1, 3.5, 1.4, 0.2])
    np.testing.assert_allclose(x.mean(axis=0), [5.8433, 3.0573, 3.758, 1.1993], atol=1e-4)  # Fisher's means


def test_stratified_split_keeps_class_shares():
    _, t = load_iris()
    train, test = stratified_split(t, 0.2, seed=0)
    assert len(train) == 120 and len(test) == 30 and not set(train) & set(test)
    assert np.bincount(t[test]).tolist() == [10, 10, 10]


def test_toy_sets():
    x, t = make_spiral(n_per_class=50, n_classes=4, seed=1)
    assert x.shape == (200, 2) and np.bincount(t).tolist() == [50] * 4
    np.testing.assert_allclose(np.hypot(x[:50, 0], x[:50, 1]), np.linspace(0, 1, 50))  # radius linspace(0, 1)
    np.testing.assert_array_equal(make_spiral(seed=3)[0], make_spiral(seed=3)[0])
    x, t = make_xor()
    assert t.tolist() == [int(a) ^ int(b) for a, b in x]


def test_digits_split():
    pytest.importorskip("sklearn")
    from nnscratch.data import load_digits

    (x, t), (x_test, t_test) = load_digits()
    assert x.shape[1] == 64 and len(x) + len(x_test) == 1797 and x.max() <= 1.0
