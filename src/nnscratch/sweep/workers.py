"""A sweep's worker processes: each runs one trial at a time, when its coordinator says so.

The coordinator (:mod:`nnscratch.sweep.runner`) and a worker share two pipes:

- ``requests``: before each trial the worker sends ``"ask"`` and waits for
  ``True`` (run one more trial) or ``False`` (stop). The coordinator counts the
  trials it has let run, so ``--trials N`` runs exactly N, however many workers
  finish at the same moment.
- ``lifeline``: the coordinator never writes to it; the operating system closes
  its end when the coordinator dies, however it dies. A thread in the worker
  waits on it and ends the worker then, so a killed sweep leaves no process behind.

A worker is named ``host:pid`` in its trials (user attribute ``worker``), so a
coordinator can tell its own workers' trials from those of another machine.
"""

import os
import socket
import sys
import threading
import time

from nnscratch.sweep import space as spaces
from nnscratch.sweep.objective import train_trial


def worker_id(pid=None):
    """``host:pid`` of a worker on this machine (this process when ``pid`` is None)."""
    return f"{socket.gethostname()}:{os.getpid() if pid is None else pid}"


def main(config, index, requests, lifeline):
    """A worker process's body: run trials of the study while the coordinator grants them."""
    threading.Thread(target=_exit_with_coordinator, args=(lifeline,), daemon=True).start()
    import optuna

    from nnscratch.sweep import runner  # the study is opened as the coordinator opened it

    try:
        study = runner.load_study(config, seed=config["seed"] + index)
        optuna.logging.set_verbosity(optuna.logging.ERROR)  # a failed trial is one line of ours, no traceback
        while _granted(requests):
            study.optimize(lambda trial: objective(trial, config), n_trials=1, catch=(Exception,))
    except Exception as error:  # the storage failed under the worker: one line, the password masked
        from nnscratch.sweep.storage import scrub

        print(scrub(f"worker {index}: {type(error).__name__}: {error}", config["storage"]), file=sys.stderr)
        sys.exit(1)


def _granted(requests, pause=0.5):
    """Ask the coordinator for one more trial: True to run it, False to stop (after any waits)."""
    while True:
        try:
            requests.send("ask")
            answer = requests.recv()
        except (EOFError, OSError):  # the coordinator is gone
            return False
        if answer != "wait":
            return answer == "run"
        time.sleep(pause)  # a running trial may fail and free a place


def _exit_with_coordinator(lifeline):
    try:
        lifeline.recv()
    except (EOFError, OSError):
        pass
    os._exit(3)  # mid-trial too: the trial stays RUNNING and the next sweep marks it failed and retries it


class SurplusTrialError(Exception):
    """A trial that found the study's target already taken by trials numbered before it."""


def is_surplus(trial, target):
    """True when ``target`` trials numbered before ``trial`` have finished or are running.

    Coordinators on several machines each grant trials from their own count, and two may
    grant the last place at the same moment. The storage numbers trials in the order it
    creates them (a database locks the study row for that), so "who came first" has one
    answer every machine agrees on: the trial that finds the target reached below its own
    number does not run. A running trial before it that fails later frees its place, and the
    coordinator grants a replacement.
    """
    import optuna

    taken = (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED, optuna.trial.TrialState.RUNNING)
    before = trial.study.get_trials(deepcopy=False, states=taken)
    return sum(t.number < trial.number for t in before) >= target


def _give_up_place(trial):
    """Mark a surplus trial as never run; a grid point it took from the queue is queued again."""
    trial.set_user_attr("not_run", True)
    queued = trial.user_attrs.get("queued")
    if queued is not None:
        extra = {k: v for k, v in trial.user_attrs.items() if k in ("queued", "retry_of")}
        trial.study.enqueue_trial(queued, user_attrs=extra)


def objective(trial, config):
    """Optuna objective: validation accuracy of the last epoch, pruned on per-epoch accuracy.

    A trial that fails records why in its user attribute ``error`` (one line), which
    the sweep's closing message quotes.
    """
    import optuna

    trial.set_user_attr("worker", worker_id())
    if config.get("trials") is not None and is_surplus(trial, config["trials"]):
        _give_up_place(trial)
        taken = f"the study already holds {config['trials']} finished or running trials"
        raise SurplusTrialError(f"trial {trial.number} not run: {taken}")
    params = spaces.suggest(trial, config["space"])

    def report(record):
        trial.report(record["test_accuracy"], record["epoch"])
        if trial.should_prune():
            raise optuna.TrialPruned(f"validation accuracy {record['test_accuracy']:.4f} at epoch {record['epoch']}")

    start = time.perf_counter()
    try:
        history = train_trial(config["dataset"], params, on_epoch=report, data_dir=config["data_dir"])
    except optuna.TrialPruned:
        raise
    except Exception as error:
        message = f"{type(error).__name__}: {error}".splitlines()[0]
        trial.set_user_attr("error", message)
        print(f"trial {trial.number} failed: {message}", file=sys.stderr)
        raise
    trial.set_user_attr("seconds", time.perf_counter() - start)
    trial.set_user_attr("train_accuracy", history[-1]["train_accuracy"])
    trial.set_user_attr(
        "history", [{k: r[k] for k in ("epoch", "loss", "train_accuracy", "test_accuracy")} for r in history]
    )
    return history[-1]["test_accuracy"]
