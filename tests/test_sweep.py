"""nnscratch sweep: the seed-000 table from Optuna, resume, killed workers, grid, PostgreSQL."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest

optuna = pytest.importorskip("optuna")

from nnscratch.cli.main import main  # noqa: E402
from nnscratch.sweep import runner, space, storage  # noqa: E402

COLUMNS = "| hidden_size | learning_rate | lr_decay | num_epochs | reg | train_accuracy | val_accuracy |"


def sweep(out, *argv):
    return main(["sweep", "--dataset", "spiral", "--output-dir", str(out), *argv])


def sweep_command(*argv):
    """The command line a user (or another machine) runs, as a subprocess argv."""
    return [
        sys.executable,
        "-m",
        "nnscratch",
        "sweep",
        "--dataset",
        "spiral",
        "--jobs",
        "1",
        "--sampler",
        "random",
        *argv,
    ]


def load(out):
    storage = runner.storage_for(None, out)
    return optuna.load_study(study_name=runner.study_name("spiral"), storage=storage)


def finished(study):
    return [t for t in study.get_trials() if t.state.name in ("COMPLETE", "PRUNED")]


def test_sweep_writes_the_seed_000_table_and_resumes(tmp_path, capsys):
    assert sweep(tmp_path, "--trials", "4", "--jobs", "2", "--sampler", "random") == 0
    out = capsys.readouterr().out
    assert "trials 4/4 done" in out and "5/4" not in out
    table = (tmp_path / "results.md").read_text()
    assert table.startswith(COLUMNS)
    values = [float(line.split("|")[-2]) for line in table.splitlines()[2:] if line.startswith("| ")]
    assert values == sorted(values, reverse=True) and values
    with open(tmp_path / "results.csv") as handle:
        first_rows = list(csv.DictReader(handle))
    assert {"trial", "state", "hidden_size", "val_accuracy"} <= set(first_rows[0])
    best = json.loads((tmp_path / "best.json").read_text())
    assert best["val_accuracy"] == pytest.approx(max(values), abs=1e-4)  # the table rounds to 4 digits
    assert (tmp_path / "val_accuracy_by_hyperparameter.png").exists() and (tmp_path / "best_history.png").exists()

    before = {t.number: t.params for t in finished(load(tmp_path))}
    assert sweep(tmp_path, "--trials", "7", "--jobs", "2", "--sampler", "random") == 0
    study = load(tmp_path)
    assert len(finished(study)) == 7
    after = {t.number: t.params for t in study.get_trials()}
    assert all(after[number] == params for number, params in before.items())  # kept, not re-run
    assert len(study.get_trials()) == 7  # only the missing trials ran


def test_grid_sampler_visits_each_point_once(tmp_path):
    space_file = tmp_path / "space.toml"
    space_file.write_text(
        "[hidden_size]\ngrid = [10, 40]\n[learning_rate]\ngrid = [1.0]\n[lr_decay]\ngrid = [1.0]\n"
        "[num_epochs]\ngrid = [200, 400]\n[reg]\ngrid = [0.001]\n"
    )
    assert sweep(tmp_path / "out", "--sampler", "grid", "--space", str(space_file), "--trials", "10") == 0
    points = [(t.params["hidden_size"], t.params["num_epochs"]) for t in load(tmp_path / "out").get_trials()]
    assert sorted(points) == [(10, 200), (10, 400), (40, 200), (40, 400)]


def test_space_files_are_checked(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[momentum]\nlow = 0.1\nhigh = 0.9\n")
    with pytest.raises(ValueError, match=r"unknown hyperparameters \['momentum'\]"):
        space.load_space(bad)
    bad.write_text("[reg]\nlow = 1.0\nhigh = 0.1\n")
    with pytest.raises(ValueError, match="reg has low 1.0 > high 0.1"):
        space.load_space(bad)
    with pytest.raises(ValueError, match="the grid sampler needs a grid for"):
        space.grid_of({"reg": {"low": 0.1, "high": 1.0}})


def test_a_poor_trial_is_pruned_on_validation_accuracy():
    class Trial:
        params, reported = {}, []

        def suggest_int(self, name, low, high, log=False):
            return {"hidden_size": 20, "num_epochs": 500}[name]

        def suggest_float(self, name, low, high, log=False):
            return {"learning_rate": 1.0, "lr_decay": 1.0, "reg": 1e-3}[name]

        def set_user_attr(self, key, value):
            pass

        def report(self, value, step):
            self.reported.append((step, value))

        def should_prune(self):
            return len(self.reported) >= 3

    config = {"dataset": "spiral", "space": space.resolve("spiral"), "data_dir": None}
    trial = Trial()
    with pytest.raises(optuna.TrialPruned, match="at epoch 3"):
        runner.objective(trial, config)
    assert [step for step, _ in trial.reported] == [1, 2, 3]


def test_a_killed_worker_loses_only_its_trial_which_is_retried(tmp_path):
    space_file = tmp_path / "slow.toml"  # trials of a few seconds, so there is time to kill one
    space_file.write_text("[num_epochs]\nlow = 2500\nhigh = 2500\n[hidden_size]\ngrid = [150]\n")
    out = tmp_path / "out"
    argv = sweep_command("--trials", "3", "--space", str(space_file), "--output-dir", str(out))
    coordinator = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    victim = None
    deadline = time.monotonic() + 120
    while victim is None:
        assert time.monotonic() < deadline and coordinator.poll() is None
        time.sleep(0.2)
        try:
            trials = load(out).get_trials()
        except (KeyError, FileNotFoundError):  # the study is not created yet
            continue
        # a trial that has just begun training (its parameters all drawn, few epochs reported of its
        # 2500), so it is surely still running when killed
        running = [
            t
            for t in trials
            if t.state.name == "RUNNING" and "worker" in t.user_attrs and 0 < len(t.intermediate_values) < 300
        ]
        victim = running[0] if running else None
    os.kill(int(victim.user_attrs["worker"].rsplit(":", 1)[1]), signal.SIGKILL)
    output, _ = coordinator.communicate(timeout=300)
    assert coordinator.returncode == 0, output
    assert "died" in output
    trials = {t.number: t for t in load(out).get_trials()}
    assert trials[victim.number].state.name == "FAIL"
    retries = [t for t in trials.values() if t.user_attrs.get("retry_of") == victim.number]
    assert len(retries) == 1 and retries[0].params == trials[victim.number].params == victim.params
    assert retries[0].state.name in ("COMPLETE", "PRUNED")
    assert sum(t.state.name in ("COMPLETE", "PRUNED") for t in trials.values()) >= 3


POSTGRES = os.environ.get("NNSCRATCH_TEST_POSTGRES")


def fresh_postgres_study():
    """The URL of CI's PostgreSQL database, with no spiral study in it."""
    url = storage.database_url(POSTGRES)  # postgresql:// means psycopg 3, as for the command line
    try:
        optuna.delete_study(study_name=runner.study_name("spiral"), storage=url)
    except KeyError:
        pass
    return url


def run_machines(tmp_path, argv, count):
    """Run ``count`` sweep processes at once, as many machines would, each with its own output
    folder and seed; return their outputs once all have exited 0."""
    machines = [
        subprocess.Popen(
            [*argv, "--output-dir", str(tmp_path / f"machine{i}"), "--seed", str(i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for i in range(count)
    ]
    outputs = []
    for machine in machines:
        output, _ = machine.communicate(timeout=600)
        assert machine.returncode == 0, output
        outputs.append(output)
    return outputs


@pytest.mark.skipif(not POSTGRES, reason="set NNSCRATCH_TEST_POSTGRES to a PostgreSQL URL (CI does)")
def test_two_machines_share_one_study_in_postgresql(tmp_path):
    url = fresh_postgres_study()
    space_file = tmp_path / "short.toml"  # each epoch's report is a round trip to the database: few epochs
    space_file.write_text("[num_epochs]\nlow = 20\nhigh = 60\n")
    argv = sweep_command("--trials", "8", "--storage", POSTGRES, "--space", str(space_file))
    for output in run_machines(tmp_path, argv, 2):
        assert storage.mask(POSTGRES) in output and POSTGRES not in output  # the password is never shown
    study = optuna.load_study(study_name=runner.study_name("spiral"), storage=url)
    trials = study.get_trials()
    numbers = [t.number for t in trials]
    assert sorted(numbers) == list(range(len(trials)))  # every trial recorded once, no gaps
    assert sum(t.state.name in ("COMPLETE", "PRUNED") for t in trials) == 8  # --trials 8 means 8, however many machines
    assert len({t.user_attrs["worker"] for t in trials}) == 2  # both machines took trials
    for i in range(2):
        assert (tmp_path / f"machine{i}" / "results.md").read_text().startswith(COLUMNS)


@pytest.mark.skipif(not POSTGRES, reason="set NNSCRATCH_TEST_POSTGRES to a PostgreSQL URL (CI does)")
def test_four_machines_racing_for_the_last_places_run_exactly_n(tmp_path):
    """Eight workers on four machines ask for trials of a few milliseconds at once: before a trial
    gave up a place taken by a lower-numbered one, 3 of 3 such runs left 9 or 10 trials."""
    url = fresh_postgres_study()
    space_file = tmp_path / "tiny.toml"
    space_file.write_text("[num_epochs]\nlow = 5\nhigh = 10\n")
    argv = sweep_command("--trials", "8", "--jobs", "2", "--storage", POSTGRES, "--space", str(space_file))
    run_machines(tmp_path, argv, 4)
    counts = runner.count(optuna.load_study(study_name=runner.study_name("spiral"), storage=url))
    assert counts.get("COMPLETE", 0) + counts.get("PRUNED", 0) == 8, counts
    assert set(counts) <= {"COMPLETE", "PRUNED", "NOT_RUN"}, counts
