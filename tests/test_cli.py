"""The command line: every command runs, writes metrics.json and plots; mistakes exit 2."""

import json

import pytest

from nnscratch.cli.main import main

COMMANDS = ["numdiff", "descent", "graph", "gates", "forward", "gradcheck"]


def run(tmp_path, *argv):
    code = main([*argv, "--output-dir", str(tmp_path)])
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    return code, metrics


def assert_metrics_shape(metrics, experiment):
    assert metrics["experiment"] == experiment
    assert metrics["runs"]
    for record in metrics["runs"].values():
        assert set(record) == {"config", "history", "final"}
        assert {"loss", "train_accuracy", "test_accuracy"} <= set(record["final"])


@pytest.mark.parametrize("command", COMMANDS)
def test_lecture_commands(command, tmp_path, capsys):
    code, metrics = run(tmp_path, command)
    assert code == 0
    assert_metrics_shape(metrics, command)
    assert capsys.readouterr().out


def test_numdiff_output(tmp_path, capsys):
    _, metrics = run(tmp_path, "numdiff")
    out = capsys.readouterr().out
    assert "0.1999999999990898" in out and "0.2999999999986347" in out
    assert metrics["runs"]["x=5"]["final"]["naive"] == 0.0
    assert (tmp_path / "tangent.png").stat().st_size > 0


def test_descent_output(tmp_path, capsys):
    _, metrics = run(tmp_path, "descent")
    x = metrics["runs"]["lr=0.1"]["final"]["x"]
    assert x == pytest.approx([-0.0346, 0.0461], abs=5e-5)
    assert len(metrics["runs"]["lr=0.1"]["history"]) == 21
    assert set(metrics["runs"]) == {"lr=0.1", "lr=10", "lr=1e-10"}
    assert (tmp_path / "descent_path.png").exists()


def test_graph_output(tmp_path, capsys):
    _, metrics = run(tmp_path, "graph")
    shopping = metrics["runs"]["shopping"]["final"]
    assert shopping["value"] == 715
    assert shopping["gradients"] == {"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165, "tax": 650}


def test_gates_output(tmp_path, capsys):
    _, metrics = run(tmp_path, "gates")
    assert [row[2] for row in metrics["runs"]["XOR"]["final"]["truth_table"]] == [0, 1, 1, 0]


def test_forward_output(tmp_path, capsys):
    _, metrics = run(tmp_path, "forward")
    assert metrics["runs"]["iris"]["final"]["probabilities"] == pytest.approx([0.0357, 0.2624, 0.7018], abs=5e-5)
    assert metrics["runs"]["iris_b2_plus_1"]["final"]["probabilities"] == pytest.approx(
        [0.0246, 0.4917, 0.4837], abs=5e-5
    )
    assert "0.7018" in capsys.readouterr().out
    assert (tmp_path / "probabilities.png").exists()


def test_gradcheck_output(tmp_path, capsys):
    code, metrics = run(tmp_path, "gradcheck", "--activation", "sigmoid", "--seed", "3")
    assert code == 0
    assert metrics["runs"]["two_layer_net"]["final"]["worst_rel_error"] < 1e-7


def test_spiral_reproduces_seed_000(tmp_path, capsys):
    """SPEC 1.6: softmax loss ~0.786, accuracy ~0.49-0.55; two-layer net >= 0.98."""
    code, metrics = run(tmp_path, "spiral", "--seed", "0")
    assert code == 0
    assert_metrics_shape(metrics, "spiral")
    softmax, two_layer = metrics["runs"]["softmax"], metrics["runs"]["two_layer"]
    assert softmax["history"][0]["loss"] == pytest.approx(1.0986, abs=0.01)  # ln 3 at the start
    assert 0.70 <= softmax["final"]["loss"] <= 0.85
    assert 0.45 <= softmax["final"]["train_accuracy"] <= 0.60
    assert two_layer["final"]["train_accuracy"] >= 0.98
    assert two_layer["final"]["loss"] < 0.30
    assert softmax["config"]["iterations"] == 200 and two_layer["config"]["iterations"] == 10_000
    for name in ("softmax", "two_layer"):
        assert (tmp_path / f"{name}_boundary.png").stat().st_size > 10_000
    out = capsys.readouterr().out
    assert "iteration   9000" in out and "train acc" in out


def test_spiral_options(tmp_path, capsys):
    _, metrics = run(
        tmp_path,
        "spiral",
        "--hidden-size",
        "20",
        "--iterations",
        "50",
        "--reg",
        "0",
        "--learning-rate",
        "0.5",
        "--softmax-iterations",
        "10",
    )
    config = metrics["runs"]["two_layer"]["config"]
    assert (config["hidden_size"], config["iterations"], config["reg"], config["learning_rate"]) == (20, 50, 0, 0.5)
    assert metrics["runs"]["softmax"]["history"][-1]["iteration"] == 10


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["spiral", "--hidden-size", "0"], "--hidden-size: expected a positive integer, got '0'"),
        (["spiral", "--learning-rate", "fast"], "--learning-rate: expected a number, got 'fast'"),
        (["spiral", "--reg", "-1"], "--reg: expected a number >= 0, got '-1'"),
        (["train-everything"], "invalid choice: 'train-everything'"),
        ([], "required: command"),
        (["spiral", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [*COMMANDS, "spiral"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--seed" in out and "--output-dir" in out


def test_python_dash_m_entry_point(tmp_path):
    import subprocess
    import sys

    ok = subprocess.run(
        [sys.executable, "-m", "nnscratch", "gates", "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and "XOR" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "nnscratch", "spiral", "--iterations", "-5"], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "nnscratch spiral: error: argument --iterations: expected a positive integer, got '-5' "
        "(see nnscratch spiral --help)"
    )
