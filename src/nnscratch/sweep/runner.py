"""Run a sweep with Optuna: a study in shared storage, worked on by J worker processes.

- Storage: by default an Optuna journal file in the output folder, so running
  the same command again resumes the study: finished trials are kept, and
  ``--trials N`` counts them (only the missing ones run). A study remembers its
  search space, and refuses to go on with another one.
- This process coordinates: each worker asks it before every trial, and it lets
  exactly as many trials run as the study lacks (:mod:`nnscratch.sweep.workers`).
  It starts no more workers than trials are missing.
- A worker killed mid-trial loses only that trial: it is marked failed (by
  this process for its own workers, found by host and pid; by Optuna's heartbeat
  on a database storage) and its parameters are queued to be retried once.
- ``--storage postgresql://...`` lets processes on several machines share one
  study; each stops asking for trials once the study holds N finished or running ones.
  Two machines may grant the last place at the same moment: the trial the storage
  numbered later sees the target taken and ends without running, kept as ``NOT_RUN``.
- A sweep that ends short of its target (every trial failed, say) raises
  :class:`SweepIncompleteError`, which says how many of how many completed.
"""

import json
import os
import socket

from nnscratch.sweep import space as spaces
from nnscratch.sweep import storage as storages
from nnscratch.sweep import workers as workers_
from nnscratch.sweep.objective import SETTINGS
from nnscratch.sweep.workers import objective  # noqa: F401  (the objective's public home since before workers)

FINISHED = ("COMPLETE", "PRUNED")


class SweepIncompleteError(RuntimeError):
    """The sweep ended with fewer finished trials than asked for; ``study`` holds what ran."""

    def __init__(self, message, study):
        super().__init__(message)
        self.study = study


def storage_for(url, output_dir, warn=print):
    """An Optuna storage: the URL given, or a journal file in ``output_dir`` (see :mod:`.storage`)."""
    return storages.open_storage(url, output_dir, warn)


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


def load_study(config, seed=0, warn=print):
    """Create the study or load it, with this sweep's sampler and pruner (no checks)."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna.create_study(
        study_name=config.get("study_name") or study_name(config["dataset"]),
        storage=storage_for(config["storage"], config["output_dir"], warn),
        sampler=make_sampler(config["sampler"], config["space"], seed),
        pruner=optuna.pruners.MedianPruner(
            n_startup_trials=3, n_warmup_steps=SETTINGS[config["dataset"]]["warmup_epochs"]
        ),
        direction="maximize",
        load_if_exists=True,
    )


def open_study(config, seed=0, warn=print):
    """:func:`load_study`, refusing a study that was run with another search space (``ValueError``)."""
    study = load_study(config, seed, warn)
    wanted = spaces.canonical(config["space"])
    if "space" not in study.user_attrs:  # a new study, or one from before studies kept their space
        study.set_user_attr("space", wanted)
    stored = study.user_attrs["space"]
    if stored != wanted:
        changed = "; ".join(spaces.differences(json.loads(stored), config["space"])) or "the entries' types"
        where = storages.mask(config["storage"]) if config["storage"] else config["output_dir"]
        raise ValueError(
            f"the study {study.study_name} in {where} was run with another search space ({changed}); "
            "sweep it with its own space, or start a new study with another --study-name or --output-dir"
        )
    return study


def worker(config, index, n_trials):
    """Work on the study without a coordinator: up to ``n_trials`` trials, stopping once it
    holds ``config["trials"]`` finished ones (several such workers may overshoot; :func:`run` does not)."""
    import optuna

    study = load_study(config, seed=config["seed"] + index)
    states = tuple(getattr(optuna.trial.TrialState, s) for s in FINISHED)
    study.optimize(
        lambda trial: objective(trial, config),
        callbacks=[optuna.study.MaxTrialsCallback(config["trials"], states=states)],
        catch=(Exception,),
        n_trials=n_trials,
    )


def count(study):
    """Counts of trials by state name (``NOT_RUN`` for a surplus trial, which Optuna keeps as failed)."""
    counts = {}
    for trial in study.get_trials(deepcopy=False):
        state = state_name(trial)
        counts[state] = counts.get(state, 0) + 1
    return counts


def state_name(trial):
    """The trial's state name; ``NOT_RUN`` for one that gave up its place (see :func:`workers.is_surplus`)."""
    return "NOT_RUN" if trial.user_attrs.get("not_run") else trial.state.name


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


def fail_lost_worker(study, pid):
    """:func:`fail_orphans` for this machine's worker ``pid``: a worker ``other-host:pid`` is not it."""
    return fail_orphans(study, lambda worker_id: worker_id == workers_.worker_id(pid))


def enqueue_grid(study, grid, limit):
    """Queue up to ``limit`` grid points not yet in the study (the grid sampler alone can hand
    the same point to two workers that ask at the same time). Returns how many were queued."""
    import itertools

    names = list(grid)
    # A point is taken once it has run, runs or is queued; a point whose trial failed is queued again.
    taken = [t for t in study.get_trials(deepcopy=False) if t.state.name != "FAIL"]
    seen = {tuple(t.params.get(n) for n in names) for t in taken}
    seen |= {tuple(t.user_attrs["queued"].get(n) for n in names) for t in taken if "queued" in t.user_attrs}
    queued = 0
    for values in itertools.product(*(grid[name] for name in names)):
        if queued >= limit:
            break
        if values not in seen:
            params = dict(zip(names, values, strict=True))
            study.enqueue_trial(params, user_attrs={"queued": params})
            queued += 1
    return queued


def retry_failed(study):
    """Queue the parameters of each trial failed by a lost worker once more (marked ``retry_of``).
    A trial that failed by raising is not retried: the same parameters would fail the same way.
    Returns how many were queued."""
    trials = study.get_trials(deepcopy=False)
    retried = {t.user_attrs.get("retry_of") for t in trials}
    queued = 0
    for trial in trials:
        if (
            state_name(trial) == "FAIL"
            and "retry_of" not in trial.user_attrs
            and "error" not in trial.user_attrs
            and trial.number not in retried
            and trial.params
        ):
            study.enqueue_trial(trial.params, user_attrs={"retry_of": trial.number, "queued": trial.params})
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
    except (PermissionError, ValueError, OverflowError):
        return False
    return False


def run(config, on_progress=print, poll_seconds=1.0):
    """Run the sweep described by ``config`` with at most ``config["jobs"]`` worker processes.

    Returns the study once it holds ``config["trials"]`` finished trials (or every point of
    its grid); raises :class:`SweepIncompleteError` when the workers stopped short of that.
    """
    from nnscratch.sweep.coordinator import Coordinator

    study = open_study(config, seed=config["seed"], warn=on_progress)
    recovered = fail_orphans(study, dead_on_this_host)  # left RUNNING by an earlier, killed run
    if recovered:
        on_progress(f"recovered: {recovered} trial(s) of killed workers marked failed and queued again")
    target = config["trials"]
    if config["sampler"] == "grid":
        enqueue_grid(study, spaces.grid_of(config["space"]), target - count_finished(study))
        target = min(target, count_finished(study) + count(study).get("WAITING", 0))
    last = Coordinator(study, config, target, on_progress, poll_seconds).run()
    report_progress(study, target, last, on_progress)
    done = count_finished(study)
    if done < target:
        raise SweepIncompleteError(_shortfall(study, done, target), study)
    return study


def _not_run(counts):
    surplus = counts.get("NOT_RUN", 0)
    return f", not run {surplus} (another machine took the place)" if surplus else ""


def _shortfall(study, done, target):
    failed = [t for t in study.get_trials(deepcopy=False) if state_name(t) == "FAIL"]
    line = f"the sweep ended with {done} of {target} trials finished ({len(failed)} failed"
    errors = [t.user_attrs["error"] for t in failed if "error" in t.user_attrs]
    return line + (f"; the first failure: {errors[0]})" if errors else ")")


def count_finished(study):
    """Trials that count towards the target: complete or pruned."""
    counts = count(study)
    return sum(counts.get(s, 0) for s in FINISHED)


def report_progress(study, total, last, on_progress):
    """Print the progress line unless it is ``last``; return it."""
    counts = count(study)
    done = sum(counts.get(s, 0) for s in FINISHED)
    try:
        best = f"{study.best_value:.4f}"
    except ValueError:
        best = "-"
    line = (
        f"trials {done}/{total} done (pruned {counts.get('PRUNED', 0)}, running {counts.get('RUNNING', 0)}, "
        f"failed {counts.get('FAIL', 0)}{_not_run(counts)}); best validation accuracy {best}"
    )
    if line != last:
        on_progress(line)
    return line
