"""Run a sweep with Optuna: a study in shared storage, worked on by J processes.

- Storage: by default an Optuna journal file in the output folder, so running
  the same command again resumes the study: finished trials are kept, and
  ``--trials N`` counts them (only the missing ones run).
- A worker killed mid-trial loses only that trial: it is marked failed (by
  this process for its own workers, by Optuna's heartbeat on a database
  storage) and its parameters are queued to be retried once.
- ``--storage postgresql://...`` lets processes on several machines share one
  study; each runs until the study holds N finished trials.
"""

import multiprocessing
import os
import socket
import time
from pathlib import Path

from nnscratch.sweep import space as spaces
from nnscratch.sweep.objective import SETTINGS, train_trial

FINISHED = ("COMPLETE", "PRUNED")


def storage_for(url, output_dir):
    """An Optuna storage: the URL given, or a journal file in ``output_dir``."""
    import optuna

    if url:
        return optuna.storages.RDBStorage(url, heartbeat_interval=5, grace_period=20)
    from optuna.storages.journal import JournalFileBackend

    Path(output_dir).mkdir(parents=True, exist_ok=True)
    return optuna.storages.JournalStorage(JournalFileBackend(str(Path(output_dir) / "study.journal")))


def make_sampler(name, space, seed):
    import optuna

    if name == "grid":
        return optuna.samplers.GridSampler(spaces.grid_of(space), seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, n_startup_trials=5)
    raise ValueError(f"sampler must be grid, random or tpe, got {name!r}")


def study_name(dataset):
    return f"nnscratch-{dataset}"


def open_study(config, seed=0):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna.create_study(
        study_name=study_name(config["dataset"]),
        storage=storage_for(config["storage"], config["output_dir"]),
        sampler=make_sampler(config["sampler"], config["space"], seed),
        pruner=optuna.pruners.MedianPruner(
            n_startup_trials=3, n_warmup_steps=SETTINGS[config["dataset"]]["warmup_epochs"]
        ),
        direction="maximize",
        load_if_exists=True,
    )


def objective(trial, config):
    """Optuna objective: validation accuracy of the last epoch, pruned on per-epoch accuracy."""
    import optuna

    trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
    params = spaces.suggest(trial, config["space"])

    def report(record):
        trial.report(record["test_accuracy"], record["epoch"])
        if trial.should_prune():
            raise optuna.TrialPruned(f"validation accuracy {record['test_accuracy']:.4f} at epoch {record['epoch']}")

    start = time.perf_counter()
    history = train_trial(config["dataset"], params, on_epoch=report, data_dir=config["data_dir"])
    trial.set_user_attr("seconds", time.perf_counter() - start)
    trial.set_user_attr("train_accuracy", history[-1]["train_accuracy"])
    trial.set_user_attr(
        "history", [{k: r[k] for k in ("epoch", "loss", "train_accuracy", "test_accuracy")} for r in history]
    )
    return history[-1]["test_accuracy"]


def worker(config, index, n_trials):
    """One worker process: take up to ``n_trials`` trials, and stop early once the study holds
    ``config["trials"]`` finished ones."""
    import optuna

    study = open_study(config, seed=config["seed"] + index)
    states = tuple(getattr(optuna.trial.TrialState, s) for s in FINISHED)
    study.optimize(
        lambda trial: objective(trial, config),
        callbacks=[optuna.study.MaxTrialsCallback(config["trials"], states=states)],
        catch=(Exception,),  # a failing trial is recorded as failed; the worker goes on
        n_trials=n_trials,
    )


def shares(config, study):
    """Trials each worker may ask for. With a grid every point is queued, and the workers ask
    for exactly as many trials as are queued: each ask takes one queued point, atomically,
    so no point runs twice."""
    if config["sampler"] != "grid":
        return [config["trials"]] * config["jobs"]
    waiting = count(study).get("WAITING", 0)
    return [waiting // config["jobs"] + (i < waiting % config["jobs"]) for i in range(config["jobs"])]


def count(study):
    """Counts of trials by state name."""
    counts = {}
    for trial in study.get_trials(deepcopy=False):
        counts[trial.state.name] = counts.get(trial.state.name, 0) + 1
    return counts


def fail_orphans(study, is_dead):
    """Mark RUNNING trials whose worker ``is_dead(worker)`` as failed and queue their retry. Returns how many."""
    import optuna

    failed = 0
    for trial in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.RUNNING,)):
        worker_id = trial.user_attrs.get("worker")
        if worker_id and is_dead(worker_id):
            # Optuna's public way to finish another process's trial; skip it if it finished meanwhile.
            study.tell(trial.number, state=optuna.trial.TrialState.FAIL, skip_if_finished=True)
            failed += 1
    return failed + retry_failed(study)


def enqueue_grid(study, grid, limit):
    """Queue up to ``limit`` grid points not yet in the study (the grid sampler alone can hand
    the same point to two workers that ask at the same time)."""
    import itertools

    names = list(grid)
    seen = {tuple(t.params.get(n) for n in names) for t in study.get_trials(deepcopy=False)}
    seen |= {
        tuple(t.system_attrs.get("fixed_params", {}).get(n) for n in names) for t in study.get_trials(deepcopy=False)
    }
    for values in itertools.product(*(grid[name] for name in names)):
        if limit <= 0:
            break
        if values not in seen:
            study.enqueue_trial(dict(zip(names, values, strict=True)))
            limit -= 1


def retry_failed(study):
    """Queue each failed trial's parameters once more (marked ``retry_of``). Returns how many were queued."""
    import optuna

    trials = study.get_trials(deepcopy=False)
    retried = {t.user_attrs.get("retry_of") for t in trials}
    queued = 0
    for trial in trials:
        if (
            trial.state == optuna.trial.TrialState.FAIL
            and "retry_of" not in trial.user_attrs
            and trial.number not in retried
            and trial.params
        ):
            study.enqueue_trial(trial.params, user_attrs={"retry_of": trial.number})
            queued += 1
    return queued


def dead_on_this_host(worker_id):
    """True for a worker id ``host:pid`` of this machine whose process is gone."""
    host, _, pid = worker_id.rpartition(":")
    if host != socket.gethostname():
        return False  # another machine's worker: the database heartbeat looks after it
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def run(config, on_progress=print, poll_seconds=1.0):
    """Run the sweep described by ``config`` with ``config["jobs"]`` worker processes.

    Returns the study when it holds ``config["trials"]`` finished trials (or its grid is done).
    """
    study = open_study(config, seed=config["seed"])
    recovered = fail_orphans(study, dead_on_this_host)  # left RUNNING by an earlier, killed run
    if recovered:
        on_progress(f"recovered: {recovered} trial(s) of killed workers marked failed and queued again")
    if config["sampler"] == "grid":
        enqueue_grid(study, spaces.grid_of(config["space"]), config["trials"] - _finished(study))
    _share_cores(config["jobs"])
    context = multiprocessing.get_context("spawn")
    quota = shares(config, study)
    workers = [context.Process(target=worker, args=(config, i, quota[i]), daemon=True) for i in range(config["jobs"])]
    for process in workers:
        process.start()
    last, restarts, handled = None, 0, set()  # handled: the dead workers already dealt with
    while any(p.is_alive() for p in workers):
        time.sleep(poll_seconds)
        for i, process in enumerate(workers):
            if process.is_alive() or process.exitcode in (0, None) or process in handled:
                continue
            handled.add(process)
            lost = fail_orphans(study, lambda w, pid=process.pid: w.endswith(f":{pid}"))
            on_progress(f"worker {i} died (exit code {process.exitcode}); {lost} trial(s) marked failed and queued")
            if _finished(study) < config["trials"] and restarts < 3 * config["jobs"]:
                restarts += 1
                again = count(study).get("WAITING", 0) if config["sampler"] == "grid" else config["trials"]
                workers[i] = context.Process(target=worker, args=(config, i, again), daemon=True)
                workers[i].start()
        last = _report(study, config["trials"], last, on_progress)
    _report(study, config["trials"], last, on_progress)
    return study


def _share_cores(jobs):
    """Give each worker its share of the cores for BLAS (unless the user chose), so that J
    workers do not each start a thread per core and fight over them."""
    threads = str(max(1, (os.cpu_count() or 1) // jobs))
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, threads)  # read by the spawned workers when they import NumPy


def _finished(study):
    counts = count(study)
    return sum(counts.get(s, 0) for s in FINISHED)


def _report(study, total, last, on_progress):
    counts = count(study)
    done = sum(counts.get(s, 0) for s in FINISHED)
    try:
        best = f"{study.best_value:.4f}"
    except ValueError:
        best = "-"
    line = (
        f"trials {done}/{total} done (pruned {counts.get('PRUNED', 0)}, running {counts.get('RUNNING', 0)}, "
        f"failed {counts.get('FAIL', 0)}); best validation accuracy {best}"
    )
    if line != last:
        on_progress(line)
    return line
