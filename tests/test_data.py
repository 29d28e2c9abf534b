"""Data loading: IDX parsing, verified downloads from a local server, the four data sets."""

import gzip
import hashlib
import os
import stat
import tarfile
import time
import tracemalloc
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
from nnscratch.data.download import Resource, default_deadline, download
from nnscratch.data.idx import read_idx_bytes
from nnscratch.data.mnist import FASHION_MNIST, MNIST, load_idx_dataset
from nnscratch.io import write_text

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


@pytest.fixture
def served_file():
    body = b"the real file " * 100
    return body, Resource("data.bin", hashlib.md5(body).hexdigest(), len(body))


def test_download_skips_down_wrong_and_hostile_mirrors(tmp_path, served_file):
    body, resource = served_file
    with FileServer({"data.bin": body}) as server:
        hostile = [server.url(m) for m in ("badstatus", "incomplete", "endless", "lying", "wrong")]
        path = download(resource, tmp_path, [server.down_url, *hostile, server.url("good")], timeout=5)
    assert path.read_bytes() == body
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.bin"]  # no temporary leftovers


def test_download_failure_names_every_mirror_and_its_reason(tmp_path, served_file):
    body, resource = served_file
    with FileServer({"data.bin": body}) as server:
        reasons = {
            server.down_url: "cannot connect",
            server.url("missing"): "HTTP 404",
            server.url("wrong"): f"wrong file: expected {len(body)} bytes with MD5 {resource.md5}, got {len(body)}",
            server.url("truncated"): f"announces Content-Length '{len(body) // 2}', the file has {len(body)} bytes",
            server.url("lying"): f"announces Content-Length '{len(body) + 1000}'",
            server.url("endless"): f"sent more than the file's {len(body)} bytes; stopped there",
            server.url("incomplete"): f"the connection closed after {len(body) // 2} of {len(body)} bytes",
            server.url("badstatus"): "BadStatusLine: NONSENSE 200 OK",
        }
        with pytest.raises(DownloadError) as info:
            download(resource, tmp_path, list(reasons), timeout=5)
    lines = str(info.value).splitlines()
    assert lines[0] == "could not download data.bin; tried:"
    assert len(lines) == 1 + len(reasons)
    for line, (mirror, reason) in zip(lines[1:], reasons.items(), strict=True):
        assert line.strip().startswith(f"{mirror}/data.bin: ") and reason in line, line
    assert list(tmp_path.iterdir()) == []  # the bad files were deleted


def test_a_trickling_server_is_given_up_at_the_deadline(tmp_path, served_file):
    body, resource = served_file  # 1,400 bytes at one per 20 ms would take 28 s
    with FileServer({"data.bin": body}, trickle_s=0.02) as server:
        started = time.monotonic()
        with pytest.raises(DownloadError, match=r"too slow: \d+ of 1400 bytes arrived before the deadline"):
            download(resource, tmp_path, [server.url("slow")], timeout=5, deadline=1.0)
        assert time.monotonic() - started < 4
    assert list(tmp_path.iterdir()) == []


def test_the_default_deadline_allows_a_slow_line_but_not_a_trickle():
    assert default_deadline(170_052_171) == pytest.approx(120 + 170_052_171 / 65_536)  # CIFAR-10: 45 min
    assert default_deadline(1000) < 121


def test_every_data_set_tries_an_https_mirror_first():
    for mirrors in (MNIST.mirrors, FASHION_MNIST.mirrors, cifar10.MIRRORS):
        assert mirrors[0].startswith("https://"), mirrors


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_downloads_and_saved_files_honour_the_umask(tmp_path, served_file, umask):
    body, resource = served_file
    old = os.umask(umask)
    try:
        with FileServer({"data.bin": body}) as server:
            downloaded = download(resource, tmp_path, [server.url("good")])
        written = write_text(tmp_path / "notes.txt", "hello")
    finally:
        os.umask(old)
    for path in (downloaded, written):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path


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
    with pytest.raises(ValueError, match="does not hold the official content of train-labels-idx1-ubyte.gz"):
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


def test_raw_files_are_checked_against_the_official_content(tmp_path, mnist_files):
    arrays, files = mnist_files
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    other = dict(arrays, test_images=255 - arrays["test_images"])  # well-formed IDX, other pixels
    write_mnist_files(raw_dir, other, compress=False)
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte does not hold the official content of t10k-images"):
        load_idx_dataset(dataset_for(files), raw_dir, download=False)


def test_the_data_root_never_serves_mnist_as_fashion_mnist(tmp_path, mnist_files, monkeypatch):
    arrays, files = mnist_files
    fashion_arrays = dict(arrays, train_images=255 - arrays["train_images"])
    fashion_source = tmp_path / "fashion-source"
    fashion_source.mkdir()
    monkeypatch.setattr(mnist_module, "MNIST", dataset_for(files, "mnist"))
    fashion = dataset_for(write_mnist_files(fashion_source, fashion_arrays), "fashion-mnist")
    monkeypatch.setattr(mnist_module, "FASHION_MNIST", fashion)
    root = tmp_path / "root"
    root.mkdir()
    write_mnist_files(root, arrays)  # MNIST in the shared root: the same names as Fashion-MNIST's
    monkeypatch.setenv("NNSCRATCH_DATA", str(root))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with pytest.raises(FileNotFoundError, match=f"{root / 'fashion-mnist'}\n"):
        load_idx_dataset(fashion, download=False)
    (root / "fashion-mnist").mkdir()
    write_mnist_files(root / "fashion-mnist", arrays)  # MNIST in Fashion-MNIST's own folder
    with pytest.raises(ValueError, match="it is MNIST's train-images-idx3-ubyte.gz; delete it"):
        load_idx_dataset(fashion, download=False)


@pytest.mark.parametrize("bad_label", [-1, 10])
@pytest.mark.parametrize("one_hot", [False, True])
def test_out_of_range_labels_are_refused(tmp_path, bad_label, one_hot):
    arrays = mnist_like_arrays(n_train=30, n_test=10)
    labels = arrays["train_labels"].astype(np.int8)  # an IDX type that can hold -1
    labels[7] = bad_label
    folder = tmp_path / "bad"
    folder.mkdir()
    files = write_mnist_files(folder, dict(arrays, train_labels=labels))
    with pytest.raises(ValueError, match=f"labels must be 0-9, got values from {min(bad_label, 0)} to"):
        load_idx_dataset(dataset_for(files), folder, download=False, one_hot_label=one_hot)


def test_idx_dimensions_that_overflow_are_a_clear_error(tmp_path):
    # 65536 ** 4 = 2 ** 64: an int64 product wraps to 0, which matched an empty body.
    header = bytes([0, 0, 0x08, 4]) + (65536).to_bytes(4, "big") * 4
    with pytest.raises(ValueError, match=r"impossible dimensions \(65536, 65536, 65536, 65536\)"):
        read_idx_bytes(header, source="huge")
    zero_first = bytes([0, 0, 0x08, 4]) + (0).to_bytes(4, "big") + (2**32 - 1).to_bytes(4, "big") * 3
    with pytest.raises(ValueError, match="huge has impossible dimensions"):
        read_idx_bytes(zero_first, source="huge")


def test_a_gz_that_inflates_past_the_official_size_is_refused_in_small_steps(tmp_path, mnist_files):
    _, files = mnist_files
    folder = tmp_path / "bomb"
    folder.mkdir()
    for name, body in files.items():
        (folder / name).write_bytes(body)
    labels = gzip.decompress(files["train-labels-idx1-ubyte.gz"])
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(labels + bytes(32 << 20), compresslevel=1))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="train-labels-idx1-ubyte.gz has 309 bytes but its header"):
            load_idx_dataset(dataset_for(files), folder, download=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20  # 32 MiB of content never held at once
    promising = bytes([0, 0, 0x08, 1]) + (10**9).to_bytes(4, "big")  # a header asking for 1 GB
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(promising))
    with pytest.raises(ValueError, match="promises 1000000008 bytes of data; at most 308 were expected"):
        load_idx_dataset(dataset_for(files), folder, download=False)


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
    monkeypatch.setattr(cifar10, "RECORDS_PER_BATCH", 20)  # the official batches hold 10,000
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


def write_cifar_folder(directory, files):
    folder = directory / cifar10.FOLDER
    folder.mkdir(parents=True)
    for name, body in files.items():
        (folder / name).write_bytes(body)
    return folder


def test_cifar10_damaged_batch_and_wrong_archive(tmp_path, cifar_resource):
    files, _, archive = cifar_resource
    folder = write_cifar_folder(tmp_path, files)
    (folder / "data_batch_3.bin").write_bytes(files["data_batch_3.bin"][:-5])
    with pytest.raises(ValueError, match=r"cifar-10-batches-bin is incomplete \(data_batch_3.bin has 61455 bytes, exp"):
        load_cifar10(data_dir=tmp_path, download=False)
    other = tmp_path / "other"
    other.mkdir()
    (other / cifar10.ARCHIVE.filename).write_bytes(archive[:-1])
    with pytest.raises(ValueError, match="is not the official cifar-10-binary.tar.gz"):
        load_cifar10(data_dir=other, download=False)


def test_cifar10_batch_with_the_wrong_record_count_is_refused(tmp_path, cifar_resource):
    files, _, _ = cifar_resource
    folder = write_cifar_folder(tmp_path, files)
    one_record = files["data_batch_2.bin"][: cifar10.RECORD_BYTES]
    (folder / "data_batch_2.bin").write_bytes(one_record)
    with pytest.raises(ValueError, match="data_batch_2.bin has 3073 bytes, expected 61460"):
        load_cifar10(data_dir=tmp_path, download=False)
    with pytest.raises(ValueError, match="data_batch_2.bin holds 1 CIFAR-10 records, expected 20"):
        cifar10.read_batch(folder / "data_batch_2.bin", n_records=20)
    assert cifar10.read_batch(folder / "data_batch_2.bin")[1].shape == (1,)  # no count asked: any whole number


@pytest.mark.parametrize("damage", ["missing", "cut short"])
def test_a_partly_extracted_folder_is_extracted_again(tmp_path, cifar_resource, damage):
    files, arrays, archive = cifar_resource
    (tmp_path / cifar10.ARCHIVE.filename).write_bytes(archive)
    folder = write_cifar_folder(tmp_path, {k: v for k, v in files.items() if k != "test_batch.bin"})
    if damage == "cut short":  # what an interrupted extraction leaves
        (folder / "test_batch.bin").write_bytes(files["test_batch.bin"][:1000])
    _, (_, t_test) = load_cifar10(data_dir=tmp_path, download=False)
    np.testing.assert_array_equal(t_test, arrays["test_batch.bin"][1])
    assert (folder / "test_batch.bin").read_bytes() == files["test_batch.bin"]
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_extraction_needs_no_extractall_filter(tmp_path, cifar_resource, monkeypatch):
    """Python 3.11.0-3.11.3 have no ``filter`` argument: passing one is a TypeError there."""
    _, arrays, archive = cifar_resource
    (tmp_path / cifar10.ARCHIVE.filename).write_bytes(archive)
    original = tarfile.TarFile.extractall

    def old_extractall(self, path=".", members=None, *, numeric_owner=False, **kwargs):
        if kwargs:
            raise TypeError(f"extractall() got an unexpected keyword argument {next(iter(kwargs))!r}")
        return original(self, path, members, numeric_owner=numeric_owner)

    monkeypatch.setattr(tarfile.TarFile, "extractall", old_extractall)
    monkeypatch.delattr(tarfile, "data_filter")
    old = os.umask(0o022)
    try:
        (_, t), _ = load_cifar10(data_dir=tmp_path, download=False)
    finally:
        os.umask(old)
    np.testing.assert_array_equal(t[:20], arrays["data_batch_1.bin"][1])
    mode = (tmp_path / cifar10.FOLDER / "data_batch_1.bin").stat().st_mode
    assert stat.S_IMODE(mode) == 0o644


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
