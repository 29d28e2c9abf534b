"""The training commands, run as a user runs them: files written, numbers reached, resume, errors."""

import dataclasses
import json
from pathlib import Path

import pytest

from nnscratch.cli.main import main
from nnscratch.data import cifar10
from nnscratch.data import mnist as mnist_module

from fake_data import cifar_batches
from servers import FileServer

FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
needs_fashion = pytest.mark.skipif(not FASHION_DIR.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")


def run(out, *argv):
    code = main([*argv, "--output-dir", str(out)])
    return code, json.loads((out / "metrics.json").read_text()) if (out / "metrics.json").exists() else None


def only_run(metrics):
    (record,) = metrics["runs"].values()
    assert set(record) == {"config", "history", "final"}
    return record


def test_mnist_without_files_says_where_to_put_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NNSCRATCH_DATA", raising=False)
    with FileServer({}) as server:
        monkeypatch.setattr(mnist_module, "MNIST", dataclasses.replace(mnist_module.MNIST, mirrors=(server.down_url,)))
        code, _ = run(tmp_path / "out", "mnist")
    err = capsys.readouterr().err
    assert code == 1
    assert "Put the MNIST files" in err and str(tmp_path / "cache") in err and "--data-dir" in err
    assert "Traceback" not in err


def test_mnist_seed001_run_writes_table_plots_checkpoints_and_resumes(tmp_path, fake_mnist_dir, capsys):
    out = tmp_path / "out"
    code, metrics = run(out, "mnist", "--data-dir", str(fake_mnist_dir), "--epochs", "2")
    assert code == 0 and metrics["experiment"] == "mnist"
    record = only_run(metrics)
    assert record["config"]["learning_rate"] == 0.1 and record["config"]["batch_size"] == 100
    assert [r["epoch"] for r in record["history"]] == [1, 2]
    for name in ("history.png", "weights.png", "prediction.png", "confusion.png", "model.npz"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "checkpoints" / "epoch-0002.json").exists()
    table = capsys.readouterr().out
    assert "epoch    loss  train acc  test acc" in table.replace("  ", "  ")

    code, metrics = run(out, "mnist", "--data-dir", str(fake_mnist_dir), "--epochs", "3", "--resume")
    assert code == 0
    assert [r["epoch"] for r in only_run(metrics)["history"]] == [1, 2, 3]
    assert "resumed from the checkpoint of epoch 2" in capsys.readouterr().out


@needs_fashion
def test_fashion_short_run_on_real_data(tmp_path):
    code, metrics = run(tmp_path, "fashion", "--epochs", "1", "--hidden-size", "64")
    record = only_run(metrics)
    assert code == 0 and record["final"]["test_accuracy"] > 0.8
    assert record["config"]["optimizer"] == "adam" and record["config"]["hidden_sizes"] == [64]


@needs_fashion
def test_fashion_seed001_config_uses_the_lecture_setup(tmp_path):
    code, metrics = run(tmp_path, "fashion", "--config", "seed001", "--epochs", "1")
    record = only_run(metrics)
    assert code == 0 and "seed001" in metrics["runs"]
    config = record["config"]
    assert (config["learning_rate"], config["batch_size"], config["optimizer"], config["hidden_sizes"]) == (
        0.1,
        100,
        "sgd",
        [50],
    )
    assert record["final"]["test_accuracy"] > 0.6


@pytest.mark.slow
@needs_fashion
def test_fashion_default_reaches_090(tmp_path):
    """The issue's goal: test accuracy >= 0.90 with the default command (about 4-5 minutes)."""
    code, metrics = run(tmp_path, "fashion")
    record = only_run(metrics)
    assert code == 0 and record["final"]["test_accuracy"] >= 0.90


def test_iris_prints_weights_every_1000_epochs_and_generalises(tmp_path, capsys):
    code, metrics = run(tmp_path, "iris")
    out = capsys.readouterr().out
    record = only_run(metrics)
    assert code == 0 and len(record["history"]) == 5000
    assert out.count("W =") == 5 and "epoch 5000:" in out
    assert "1 iteration(s) per epoch" in out
    assert record["final"]["test_accuracy"] >= 0.95


def test_xor_is_learned(tmp_path, capsys):
    code, metrics = run(tmp_path, "xor")
    assert code == 0 and only_run(metrics)["final"]["train_accuracy"] == 1.0
    assert (tmp_path / "xor_boundary.png").exists()


def test_digits_reaches_097(tmp_path):
    pytest.importorskip("sklearn")
    code, metrics = run(tmp_path, "digits")
    assert code == 0 and only_run(metrics)["final"]["test_accuracy"] >= 0.97


@pytest.fixture
def fake_cifar_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(cifar10, "RECORDS_PER_BATCH", 40)  # the official batches hold 10,000
    folder = tmp_path / "data" / cifar10.FOLDER
    folder.mkdir(parents=True)
    files, _ = cifar_batches(per_batch=40)
    for name, body in files.items():
        (folder / name).write_bytes(body)
    return tmp_path / "data"


def test_cifar10_on_files_in_the_binary_format(tmp_path, fake_cifar_dir, capsys):
    out = tmp_path / "out"
    code, metrics = run(out, "cifar10", "--data-dir", str(fake_cifar_dir), "--hidden-size", "20", "--epochs", "2")
    record = only_run(metrics)
    assert code == 0 and record["config"]["lr_decay"] == 0.95 and record["history"][1]["lr"] == pytest.approx(0.95e-4)
    assert (out / "weights.png").exists() and (out / "confusion.png").exists()


def test_divergence_is_one_clear_line(tmp_path, fake_cifar_dir, capsys):
    argv = ["cifar10", "--data-dir", str(fake_cifar_dir), "--hidden-size", "20", "--learning-rate", "1e30"]
    code, _ = run(tmp_path / "out", *argv)
    err = capsys.readouterr().err
    assert code == 1 and "try a smaller learning rate" in err and "Traceback" not in err


def test_two_sizes_for_a_two_layer_net_is_a_clear_error(tmp_path, fake_mnist_dir, capsys):
    code, _ = run(tmp_path, "mnist", "--data-dir", str(fake_mnist_dir), "--hidden-size", "50", "20")
    assert code == 2 and "--hidden-size takes one size for a two-layer net" in capsys.readouterr().err
