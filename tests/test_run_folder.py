"""Run folders (issue 11, points 1-3): one run per folder, --overwrite, resume settings, the lock, leftovers."""

import json
import os
import stat

import numpy as np
import pytest

from nnscratch import SGD, mlp
from nnscratch.cli.commands import COMMANDS, TRAINING
from nnscratch.cli.main import build_parser, main
from nnscratch.cli.run_folder import LOCK_NAME, claimed
from nnscratch.train import Trainer

IRIS = ["iris", "--epochs", "3", "--print-every", "1"]  # a checkpoint per epoch, about a second


def iris(out, *extra):
    return main([*IRIS, *extra, "--output-dir", str(out)])


def snapshot(folder):
    """Every file under ``folder`` (but the lock) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


def one_error_line(capsys):
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_every_training_command_offers_overwrite():
    parser = build_parser()
    trainers = {command.name for command in COMMANDS if command.name in TRAINING}
    assert trainers == {"spiral", "mnist", "fashion", "iris", "cifar10", "digits", "xor"}
    for name in trainers:
        assert parser.parse_args([name, "--overwrite"]).overwrite is True, name
    assert not hasattr(parser.parse_args(["numdiff"]), "overwrite")  # a lecture command keeps no run


@pytest.mark.parametrize("earlier", ["checkpoints", "metrics.json"])
def test_a_fresh_run_into_a_used_folder_stops_at_once_and_changes_nothing(tmp_path, capsys, earlier):
    out = tmp_path / "run"
    assert iris(out) == 0
    if earlier == "metrics.json":
        for path in (out / "checkpoints").iterdir():
            path.unlink()
    before = snapshot(out)
    capsys.readouterr()

    assert iris(out, "--epochs", "5") == 2
    err = one_error_line(capsys)
    assert str(out) in err and "--resume" in err and "--overwrite" in err
    assert snapshot(out) == before


def test_spiral_has_no_resume_so_it_offers_overwrite_alone(tmp_path, capsys):
    argv = ["spiral", "--iterations", "5", "--softmax-iterations", "5", "--output-dir", str(tmp_path)]
    assert main(argv) == 0
    assert main(argv) == 2
    err = one_error_line(capsys)
    assert "--overwrite" in err and "--resume" not in err
    assert main([*argv, "--overwrite"]) == 0


def test_overwrite_removes_the_earlier_run_and_nothing_else(tmp_path, capsys):
    out = tmp_path / "run"
    assert iris(out, "--epochs", "4") == 0
    (out / "notes.txt").write_text("mine")
    (out / "checkpoints" / "epoch-notes.txt").write_text("mine too")
    assert iris(out, "--overwrite", "--epochs", "2") == 0
    history = json.loads((out / "metrics.json").read_text())["runs"]["softmax"]["history"]
    assert [r["epoch"] for r in history] == [1, 2]
    names = sorted(p.name for p in (out / "checkpoints").iterdir())
    assert names == ["epoch-0001.json", "epoch-0001.npz", "epoch-0002.json", "epoch-0002.npz", "epoch-notes.txt"]
    assert (out / "notes.txt").read_text() == "mine"
    assert "removed the earlier run's 11 file(s)" in capsys.readouterr().out  # 4 checkpoints x 2 + 3 more


QUICK = {
    "iris": IRIS,
    "xor": ["xor", "--epochs", "3"],
    "spiral": ["spiral", "--iterations", "5", "--softmax-iterations", "5"],
    "mnist": ["mnist", "--epochs", "1"],
}


@pytest.mark.parametrize("command", sorted(QUICK))
def test_overwrite_knows_every_file_a_run_writes(tmp_path, fake_mnist_dir, command):
    out = tmp_path / "run"
    data = ["--data-dir", str(fake_mnist_dir)] if command == "mnist" else []
    assert main([*QUICK[command], *data, "--output-dir", str(out)]) == 0
    with claimed(out, overwrite=True):
        pass
    assert [p.name for p in out.rglob("*")] == [LOCK_NAME]


def test_resume_refuses_other_settings_naming_each_one(tmp_path, capsys):
    out = tmp_path / "run"
    assert iris(out) == 0
    before = snapshot(out)
    capsys.readouterr()
    assert iris(out, "--resume", "--epochs", "5", "--learning-rate", "0.1", "--seed", "3") == 2
    err = one_error_line(capsys)
    assert "--learning-rate: checkpoint 0.01, now 0.1" in err and "--seed: checkpoint 0, now 3" in err
    assert "--epochs" in err and str(out) in err
    assert snapshot(out) == before


def test_resume_may_change_the_epochs_and_output_options(tmp_path, capsys):
    out = tmp_path / "run"
    assert iris(out) == 0
    first = json.loads((out / "metrics.json").read_text())["runs"]["softmax"]["history"]
    assert main(["iris", "--epochs", "5", "--print-every", "2", "--resume", "--output-dir", str(out)]) == 0
    history = json.loads((out / "metrics.json").read_text())["runs"]["softmax"]["history"]
    assert [r["epoch"] for r in history] == [1, 2, 3, 4, 5]
    assert history[:3] == first  # continued, timings and all, not trained again


def test_checkpoints_record_the_run_settings(tmp_path):
    out = tmp_path / "run"
    assert iris(out, "--learning-rate", "0.02") == 0
    settings = json.loads((out / "checkpoints" / "epoch-0003.json").read_text())["settings"]
    assert settings["command"] == "iris"
    assert (settings["--learning-rate"], settings["--batch-size"], settings["--optimizer"]) == (0.02, 120, "sgd")
    assert "--epochs" not in settings and "--output-dir" not in settings


def test_resume_without_a_checkpoint_is_clear(tmp_path, capsys):
    assert iris(tmp_path / "new", "--resume") == 0  # nothing to continue: a new run, and it says so
    assert "no checkpoint in" in capsys.readouterr().out

    out = tmp_path / "finished"
    assert main(["spiral", "--iterations", "5", "--softmax-iterations", "5", "--output-dir", str(out)]) == 0
    capsys.readouterr()
    assert iris(out, "--resume") == 2
    assert "holds a run without checkpoints" in one_error_line(capsys)

    assert iris(tmp_path / "both", "--resume", "--overwrite") == 2
    assert "exclude each other" in one_error_line(capsys)


def test_a_second_run_on_a_locked_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "run"
    with claimed(out):  # this process's first run holds the folder
        assert iris(out) == 1
        err = one_error_line(capsys)
        assert f"{out} is in use by another run (pid {os.getpid()}" in err
    assert iris(out) == 0  # released with the first run


def test_stale_temporary_files_are_removed_at_start_and_no_others(tmp_path, capsys):
    out = tmp_path / "run"
    (out / "checkpoints").mkdir(parents=True)
    stale = [
        out / ".metrics.json.0123456789abcdef.tmp",
        out / "checkpoints" / ".epoch-0002.npz.fedcba9876543210.tmp",
        out / ".model.npz.00112233445566ff.part",
    ]
    for path in stale:
        path.write_bytes(b"torn")
    (out / "mine.tmp").write_text("a user's file")
    assert iris(out) == 0
    assert not any(path.exists() for path in stale)
    assert (out / "mine.tmp").exists()
    assert "removed 3 temporary file(s)" in capsys.readouterr().out


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_run_folder_files_honour_the_umask(tmp_path, umask):
    out = tmp_path / "run"
    old = os.umask(umask)
    try:
        assert iris(out) == 0
    finally:
        os.umask(old)
    paths = list(out.rglob("*"))
    assert {p.name for p in paths} >= {LOCK_NAME, "metrics.json", "model.npz", "history.png", "epoch-0003.npz"}
    for path in paths:
        expected = (0o777 if path.is_dir() else 0o666) & ~umask
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


def test_the_trainer_refuses_a_checkpoint_with_other_settings(tmp_path):
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((40, 4)), rng.integers(0, 3, 40)

    def trainer(settings):
        model = mlp(4, [5], 3, seed=0)
        return Trainer(model, SGD(0.1), batch_size=10, output_dir=tmp_path, progress="none", settings=settings)

    trainer({"--learning-rate": 0.1, "--hidden-size": [5]}).fit(x, t, 2)
    with pytest.raises(
        ValueError, match=r"--learning-rate: checkpoint 0.1, now 0.5; --seed: checkpoint \(not set\), now 1"
    ):
        trainer({"--learning-rate": 0.5, "--hidden-size": (5,), "--seed": 1}).fit(x, t, 3, resume=True)
    assert len(trainer({"--learning-rate": 0.1, "--hidden-size": (5,)}).fit(x, t, 3, resume=True)) == 3
