import sys
from pathlib import Path

import numpy as np
import pytest

from nnscratch.data import mnist as mnist_module

# The layer registry is a helper module beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

import fake_cupy  # noqa: E402 (needs the path above)
from fake_data import dataset_for, mnist_like_arrays, write_mnist_files  # noqa: E402

# Learners' code for the checker's tests: some of it hangs or raises at import on purpose.
collect_ignore_glob = ["checker_corpus/*"]


@pytest.fixture
def rng():
    return np.random.default_rng(20261125)


@pytest.fixture
def fake_mnist_dir(tmp_path, monkeypatch):
    """A folder with small MNIST-format IDX files (500 training and 200 test images).

    For this test, ``load_mnist`` takes their checksums for the official ones.
    """
    folder = tmp_path / "mnist"
    folder.mkdir()
    files = write_mnist_files(folder, mnist_like_arrays(n_train=500, n_test=200), compress=False)
    monkeypatch.setattr(mnist_module, "MNIST", dataset_for(files))
    return folder


@pytest.fixture
def fake_gpu(monkeypatch):
    """``import cupy`` gives the strict CPU stand-in of tests/fake_cupy.py for this test."""
    monkeypatch.setitem(sys.modules, "cupy", fake_cupy.cupy)
    return fake_cupy.cupy


def pytest_terminal_summary(terminalreporter):
    """After a run with property-based tests: how many hostile inputs they tried and how each ended."""
    hostile = sys.modules.get("hostile")
    if hostile is None or not hostile.OUTCOMES:
        return
    terminalreporter.section("hostile inputs (Hypothesis)")
    for line in hostile.summary():
        terminalreporter.write_line(line)
