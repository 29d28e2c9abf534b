"""nnscratch sweep under hostile input and failing machines: bad search spaces, a changed space on
resume, trials that all fail, exact trial counts, a torn journal, storage URLs with passwords,
workers of another host, a killed coordinator."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

optuna = pytest.importorskip("optuna")

from nnscratch.cli.main import main  # noqa: E402
from nnscratch.sweep import runner, storage, workers  # noqa: E402

# Trials of a few milliseconds: 20 full-batch steps on the spiral (fewer than the pruner's warm-up).
QUICK = """
[hidden_size]
grid = [10, 20]
[learning_rate]
low = 0.5
high = 1.0
[lr_decay]
grid = [1.0]
[num_epochs]
grid = [20]
[reg]
grid = [0.001]
"""


def sweep(out, *argv):
    return main(["sweep", "--dataset", "spiral", "--sampler", "random", "--output-dir", str(out), *argv])


def quick_space(tmp_path, text=QUICK, name="space.toml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def load(out):
    return optuna.load_study(study_name=runner.study_name("spiral"), storage=runner.storage_for(None, out))


def states(out):
    return [t.state.name for t in load(out).get_trials()]


BAD_SPACES = [
    ("[hidden_size]\nlow = -5\nhigh = 10\n", "hidden_size.low must be an integer >= 1, got -5"),
    ("[hidden_size]\ngrid = [0, 10]\n", "hidden_size.grid[0] must be an integer >= 1, got 0"),
    ('[learning_rate]\nlow = "0.1"\nhigh = 1.0\n', "learning_rate.low must be a number > 0, got '0.1'"),
    ("[reg]\nlow = 0.1\nhigh = 0.01\n", "reg has low 0.1 > high 0.01"),
    ("[num_epochs]\ngrid = []\n", "num_epochs.grid must be a non-empty list, got []"),
    ("[reg]\nlow = 0.0\nhigh = 0.1\nlog = true\n", "reg.log = true needs low > 0, got low = 0.0"),
    ("[reg]\nlow = 0.01\nhigh = 0.1\nstep = 0.01\n", "reg has unknown keys ['step']"),
    ('[reg]\nlow = 0.01\nhigh = 0.1\nlog = "yes"\n', "reg.log must be true or false, got 'yes'"),
    ("[num_epochs]\nlow = 2.5\nhigh = 10\n", "num_epochs.low must be an integer >= 1, got 2.5"),
    ("[lr_decay]\ngrid = [0.9, 1.5]\n", "lr_decay.grid[1] must be a number in (0, 1], got 1.5"),
    ("[reg]\nlow = 0.01\n", "reg has low but no high"),
    ("[momentum]\ngrid = [0.9]\n", "unknown hyperparameters ['momentum']"),
]


@pytest.mark.parametrize(("text", "message"), BAD_SPACES, ids=[m.split(" ")[0] for _, m in BAD_SPACES])
def test_a_space_no_trial_could_use_is_refused_before_any_worker_starts(tmp_path, capsys, text, message):
    out = tmp_path / "out"
    assert sweep(out, "--trials", "2", "--space", quick_space(tmp_path, text)) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err
    assert not (out / "study.journal").exists()  # refused before the study was opened


def test_a_json_space_is_checked_as_thoroughly(tmp_path, capsys):
    space = quick_space(tmp_path, json.dumps({"hidden_size": {"low": 10, "high": "many"}}), "space.json")
    assert sweep(tmp_path / "out", "--space", space) == 2
    assert "hidden_size.high must be an integer >= 1, got 'many'" in capsys.readouterr().err


def test_a_resumed_study_refuses_another_space(tmp_path, capsys):
    out = tmp_path / "out"
    assert sweep(out, "--trials", "1", "--jobs", "1", "--space", quick_space(tmp_path)) == 0
    changed = quick_space(tmp_path, QUICK.replace("grid = [10, 20]", "grid = [10, 30]"), "changed.toml")
    capsys.readouterr()
    assert sweep(out, "--trials", "2", "--jobs", "1", "--space", changed) == 2
    err = capsys.readouterr().err
    assert "another search space (hidden_size.grid: [10, 20] -> [10, 30])" in err and err.count("\n") == 1, err
    assert len(states(out)) == 1  # nothing ran with the other space
    assert sweep(out, "--trials", "2", "--jobs", "1", "--space", quick_space(tmp_path)) == 0  # same space resumes
    assert states(out) == ["COMPLETE", "COMPLETE"]


def test_trials_n_with_several_jobs_runs_exactly_n(tmp_path, capsys):
    out = tmp_path / "out"
    assert sweep(out, "--trials", "6", "--jobs", "2", "--space", quick_space(tmp_path)) == 0
    stdout = capsys.readouterr().out
    assert states(out) == ["COMPLETE"] * 6
    assert "trials 6/6 done" in stdout and "7/6" not in stdout


def test_no_more_workers_than_trials(tmp_path, capsys, monkeypatch):
    import multiprocessing.context

    started = []
    start = multiprocessing.context.SpawnProcess.start
    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", lambda self: started.append(1) or start(self))
    assert sweep(tmp_path / "out", "--trials", "1", "--jobs", "64", "--space", quick_space(tmp_path)) == 0
    assert len(started) == 1
    assert "starting 1 worker process(es)" in capsys.readouterr().out


def test_a_sweep_whose_trials_all_fail_exits_non_zero_saying_how_many_finished(tmp_path, capsys):
    diverging = QUICK.replace("low = 0.5\nhigh = 1.0", "grid = [1e30]")  # a valid space whose every trial diverges
    out = tmp_path / "out"
    assert sweep(out, "--trials", "2", "--jobs", "1", "--space", quick_space(tmp_path, diverging)) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("nnscratch sweep: the sweep ended with 0 of 2 trials finished (4 failed;"), last
    assert "DivergenceError" in last
    assert (out / "results.csv").read_text().count("FAIL") == 4  # what ran is still reported


def test_a_journal_with_a_torn_last_line_is_repaired_and_the_study_resumes(tmp_path, capsys):
    out = tmp_path / "out"
    space = quick_space(tmp_path)
    assert sweep(out, "--trials", "2", "--jobs", "1", "--space", space) == 0
    journal = out / "study.journal"
    whole = journal.read_bytes()
    last = whole.splitlines()[-1]
    journal.write_bytes(whole + last[: len(last) // 2])  # a full disk stopped the next record halfway
    capsys.readouterr()
    assert sweep(out, "--trials", "3", "--jobs", "1", "--space", space) == 0
    stdout = capsys.readouterr().out
    assert f"warning: {journal} ended in a torn line ({len(last) // 2} bytes" in stdout
    copies = list(out.glob("study.journal.torn-*"))
    assert len(copies) == 1 and copies[0].read_bytes() == whole + last[: len(last) // 2]
    assert states(out) == ["COMPLETE"] * 3
    lines = journal.read_bytes().splitlines(keepends=True)
    assert all(line.endswith(b"\n") and json.loads(line) for line in lines)  # every record whole again


def test_repair_journal_keeps_complete_files_untouched(tmp_path):
    journal = tmp_path / "study.journal"
    journal.write_bytes(b'{"op_code": 0}\n')
    assert storage.repair_journal(journal, warn=pytest.fail) is None
    journal.write_bytes(b'{"op_co')  # torn before its first newline: nothing of it is usable
    assert storage.repair_journal(journal, warn=lambda line: None) is not None
    assert journal.read_bytes() == b""


def test_mask_hides_the_password_and_nothing_else():
    assert storage.mask("postgresql://ann:s3cr@t:x@db:5432/sweeps") == "postgresql://ann:***@db:5432/sweeps"
    assert storage.mask("postgresql://ann@db/sweeps") == "postgresql://ann@db/sweeps"
    assert storage.mask("sqlite:///runs/a:b@c.db") == "sqlite:///runs/a:b@c.db"
    assert storage.scrub("bad password s3cr%40t for s3cr@t", "postgresql://ann:s3cr%40t@db/x") == (
        "bad password *** for ***"
    )


def storage_cases(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    return [
        ("postgresql://ann:s3cret@127.0.0.1:1/sweeps", "cannot be opened: connection failed"),  # nothing listens
        ("mysql://ann:s3cret@localhost/sweeps", "needs the database driver MySQLdb"),
        ("nosuchdb://ann:s3cret@localhost/sweeps", "is not a database URL SQLAlchemy knows"),
        ("ann:s3cret@localhost", "is not a database URL SQLAlchemy knows"),
        (f"sqlite:///{not_a_folder}/study.db", "cannot be opened: unable to open database file"),
    ]


def test_a_storage_that_cannot_be_opened_is_one_line_with_the_password_masked(tmp_path, capsys):
    for url, reason in storage_cases(tmp_path):
        assert sweep(tmp_path / "out", "--trials", "1", "--storage", url) == 2, url
        captured = capsys.readouterr()
        assert "s3cret" not in captured.out + captured.err, captured
        assert captured.err.count("\n") == 1 and reason in captured.err, captured.err
        if "s3cret" in url:
            assert "ann:***@" in captured.err and "ann:***@" in captured.out  # the header line masks it too


def test_postgresql_urls_use_psycopg_3():
    from sqlalchemy.engine import make_url

    for url in ("postgresql://ann@db/sweeps", "postgres://ann@db/sweeps", "postgresql+psycopg://ann@db/sweeps"):
        dialect = make_url(storage.database_url(url)).get_dialect()
        assert dialect.driver == "psycopg", url
    assert storage.database_url("postgresql+psycopg2://ann@db/x") == "postgresql+psycopg2://ann@db/x"


def test_a_dead_local_worker_fails_only_its_own_trials_not_another_hosts(tmp_path):
    study = optuna.create_study(study_name="hosts", storage=runner.storage_for(None, tmp_path))
    pid = 2**22 + 17  # above Linux's largest pid: no process of this machine has it
    mine, theirs = study.ask(), study.ask()
    mine.set_user_attr("worker", workers.worker_id(pid))
    theirs.set_user_attr("worker", f"other-host:{pid}")
    mine.suggest_float("reg", 0.0, 1.0)
    assert runner.fail_lost_worker(study, pid) == 2  # its trial failed, and queued once more
    trials = study.get_trials()
    assert [t.state.name for t in trials] == ["FAIL", "RUNNING", "WAITING"]
    assert trials[2].user_attrs["retry_of"] == mine.number


def process_gone(pid):
    """True when ``pid`` has exited (a zombie that no one has reaped yet counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


SLOW = QUICK.replace("grid = [20]", "grid = [3000]").replace("grid = [10, 20]", "grid = [150]")


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads process states from /proc")
def test_workers_exit_when_their_coordinator_is_killed(tmp_path):
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "nnscratch", "sweep", "--dataset", "spiral", "--sampler", "random"]
    argv += ["--jobs", "2", "--trials", "4", "--space", quick_space(tmp_path, SLOW), "--output-dir", str(out)]
    coordinator = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    pids = set()
    while not pids:
        assert time.monotonic() < deadline and coordinator.poll() is None
        time.sleep(0.2)
        try:
            trials = load(out).get_trials()
        except (KeyError, FileNotFoundError, ValueError):  # the study is not created yet
            continue
        pids = {int(t.user_attrs["worker"].rsplit(":", 1)[1]) for t in trials if "worker" in t.user_attrs}
    coordinator.send_signal(signal.SIGKILL)
    coordinator.wait()
    deadline = time.monotonic() + 10
    while not all(process_gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(process_gone(pid) for pid in pids), pids


def race_for_the_last_place(tmp_path, monkeypatch, other_state):
    """Target 3: two trials finished, another machine just began the third (its trial is numbered
    first), and this machine's coordinator granted one too. Returns the study and whether ours trained."""
    config = {"dataset": "spiral", "trials": 3, "space": {}, "data_dir": None}
    study = optuna.create_study(study_name="race", storage=runner.storage_for(None, tmp_path), direction="maximize")
    for value in (0.5, 0.6):
        trial = study.ask()
        study.tell(trial, value)
    theirs = study.ask()
    theirs.set_user_attr("worker", "other-host:7")
    if other_state is not None:
        study.tell(theirs, **other_state)
    trained = []
    monkeypatch.setattr(workers, "train_trial", lambda *a, **k: trained.append(1) or [RECORD])
    monkeypatch.setattr(workers.spaces, "suggest", lambda trial, space: {})
    study.optimize(lambda trial: workers.objective(trial, config), n_trials=1, catch=(Exception,))
    return study, bool(trained)


RECORD = {"epoch": 1, "loss": 0.1, "train_accuracy": 0.9, "test_accuracy": 0.9}


def test_two_machines_granting_the_last_place_at_once_run_one_trial_not_two(tmp_path, monkeypatch):
    study, trained = race_for_the_last_place(tmp_path, monkeypatch, other_state=None)
    assert not trained  # the other machine's trial came first; ours never trains
    ours = study.get_trials()[-1]
    assert ours.state.name == "FAIL" and ours.user_attrs["not_run"] and not ours.params
    assert runner.count(study) == {"COMPLETE": 2, "RUNNING": 1, "NOT_RUN": 1}
    assert runner.retry_failed(study) == 0  # a trial that never ran is not queued again


def test_a_place_freed_by_a_failed_trial_is_taken(tmp_path, monkeypatch):
    _, trained = race_for_the_last_place(tmp_path, monkeypatch, other_state={"state": optuna.trial.TrialState.FAIL})
    assert trained


def test_a_grid_point_given_up_is_queued_again(tmp_path):
    study = optuna.create_study(study_name="grid", storage=runner.storage_for(None, tmp_path))
    for _ in range(2):
        study.ask()
    study.enqueue_trial({"reg": 0.1}, user_attrs={"queued": {"reg": 0.1}})
    config = {"trials": 2, "space": {}}
    study.optimize(lambda trial: workers.objective(trial, config), n_trials=1, catch=(Exception,))
    trials = study.get_trials()
    assert runner.state_name(trials[2]) == "NOT_RUN"
    assert trials[3].state.name == "WAITING" and trials[3].user_attrs["queued"] == {"reg": 0.1}


def test_running_trials_of_other_sweeps_count_until_they_cannot_finish(tmp_path):
    from nnscratch.sweep.coordinator import running_elsewhere

    study = optuna.create_study(study_name="others", storage=runner.storage_for(None, tmp_path))
    names = [workers.worker_id(), "other-host:5", workers.worker_id(2**22 + 17), None]
    trials = [study.ask() for _ in names]
    for trial, name in zip(trials, names, strict=True):
        if name:
            trial.set_user_attr("worker", name)
    ours = {workers.worker_id()}
    frozen = study.get_trials()
    # ours: busy already; another machine's: runs on; a dead local worker's: will not finish; unnamed: just began
    assert [running_elsewhere(t, ours) for t in frozen] == [False, True, False, True]
    assert not running_elsewhere(frozen[3], ours, fresh_seconds=0)  # unnamed for long: a worker lost early


def test_a_database_failing_mid_sweep_is_one_line_with_the_password_masked():
    import sqlalchemy.exc

    url = "postgresql://ann:s3cret@db/sweeps"
    error = sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception(f"server closed the connection to {url}\nmore"))
    assert storage.failure(error, url) == (
        "the study's storage failed: server closed the connection to postgresql://ann:***@db/sweeps"
    )
    assert storage.failure(KeyError("x"), url) is None  # not the storage's: the command line's door handles it


POSTGRES = os.environ.get("NNSCRATCH_TEST_POSTGRES")


@pytest.mark.skipif(not POSTGRES, reason="set NNSCRATCH_TEST_POSTGRES to a PostgreSQL URL (CI does)")
def test_a_wrong_postgresql_password_is_one_line_that_does_not_show_it(tmp_path, capsys):
    head, _, tail = POSTGRES.rpartition("@")
    wrong = f"{head.rsplit(':', 1)[0]}:not-the-pass-word@{tail}"
    assert sweep(tmp_path / "out", "--trials", "1", "--storage", wrong) == 2
    captured = capsys.readouterr()
    assert "not-the-pass-word" not in captured.out + captured.err
    assert captured.err.count("\n") == 1 and "password authentication failed" in captured.err, captured.err
