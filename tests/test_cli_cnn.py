"""``--model cnn`` of the mnist and fashion commands, on small MNIST-format files (one epoch)."""

import json

import numpy as np
import pytest

from nnscratch import Sequential
from nnscratch.cli.main import main
from nnscratch.viz import feature_maps


def run(out, *argv):
    code = main([*argv, "--output-dir", str(out)])
    return code, json.loads((out / "metrics.json").read_text())


def test_mnist_cnn_one_epoch_trains_plots_filters_and_feature_maps(tmp_path, fake_mnist_dir, capsys):
    out = tmp_path / "out"
    code, metrics = run(out, "mnist", "--model", "cnn", "--data-dir", str(fake_mnist_dir), "--epochs", "1")
    assert code == 0
    record = metrics["runs"]["cnn"]
    config = record["config"]
    assert config["model"] == "cnn" and config["filters"] == [32, 64] and config["optimizer"] == "adam"
    assert config["epochs"] == 1 and config["batch_size"] == 100 and config["learning_rate"] == 1e-3
    # The fake images carry their label as a bright column block: one epoch of 500 images learns some of it.
    assert record["final"]["test_accuracy"] > 0.3
    for name in ("filters.png", "feature_maps.png", "history.png", "prediction.png", "confusion.png"):
        assert (out / name).stat().st_size > 0, name
    assert not (out / "weights.png").exists()  # the dense layers' picture is for an MLP's first layer
    model = Sequential.from_file(out / "model.npz")
    assert [type(layer).__name__ for layer in model.layers][:7] == [
        "Convolution", "Relu", "Pooling", "Convolution", "Relu", "Pooling", "Flatten",
    ]  # fmt: skip
    assert "Convolution" in capsys.readouterr().out


def test_cnn_options_change_the_network(tmp_path, fake_mnist_dir):
    argv = ["mnist", "--model", "cnn", "--data-dir", str(fake_mnist_dir), "--epochs", "1"]
    code, metrics = run(tmp_path, *argv, "--filters", "4", "--filter-size", "5", "--hidden-size", "16")
    assert code == 0
    config = metrics["runs"]["cnn"]["config"]
    assert config["filters"] == [4] and config["filter_size"] == 5 and config["hidden_sizes"] == [16]
    model = Sequential.from_file(tmp_path / "model.npz")
    assert model.layers[0].W.shape == (4, 1, 5, 5)


def test_mlp_is_still_the_default_and_refuses_conv_options(tmp_path, fake_mnist_dir, capsys):
    code, metrics = run(tmp_path, "mnist", "--data-dir", str(fake_mnist_dir), "--epochs", "1")
    assert code == 0 and "seed001" in metrics["runs"]
    assert metrics["runs"]["seed001"]["config"]["learning_rate"] == 0.1
    code = main(["mnist", "--data-dir", str(fake_mnist_dir), "--filters", "8", "--output-dir", str(tmp_path / "x")])
    assert code != 0
    assert "--filters is for --model cnn" in capsys.readouterr().err


def test_feature_maps_are_the_convolutions_outputs():
    from nnscratch import convnet

    model = convnet((1, 12, 10), conv=[(3, 3), (5, 3)], hidden_sizes=[8], output_size=4, seed=0)
    image = np.random.default_rng(0).random((1, 12, 10)).astype(np.float32)
    (first, maps1), (second, maps2) = feature_maps(model, image)
    assert first.startswith("layer 0") and maps1.shape == (3, 12, 10) and maps2.shape == (5, 6, 5)
    np.testing.assert_allclose(maps1, model.layers[0].forward(image[None])[0], rtol=1e-6)
    with pytest.raises(ValueError, match="no Convolution layer"):
        from nnscratch import mlp
        from nnscratch.viz import plot_feature_maps

        plot_feature_maps(mlp(4, [3], 2), np.zeros((1, 2, 2)), "unused.png")


def test_cnn_refuses_an_mlp_config_instead_of_ignoring_it(tmp_path, capsys):
    code = main(["fashion", "--model", "cnn", "--config", "seed001", "--output-dir", str(tmp_path)])
    assert code == 2
    assert "--config describes an mlp; got --config seed001 with --model cnn" in capsys.readouterr().err


def test_overwrite_removes_a_cnn_runs_plots(tmp_path, fake_mnist_dir):
    argv = ["mnist", "--model", "cnn", "--data-dir", str(fake_mnist_dir), "--epochs", "1", "--filters", "2"]
    assert run(tmp_path, *argv)[0] == 0
    (tmp_path / "feature_maps.png").write_bytes(b"stale")
    code = main([*argv, "--output-dir", str(tmp_path), "--overwrite", "--filter-size", "5"])
    assert code == 0 and (tmp_path / "feature_maps.png").read_bytes() != b"stale"
    assert not any(path.name.endswith((".tmp", ".part")) for path in tmp_path.iterdir())
