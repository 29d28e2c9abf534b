"""The sweep's coordinator: starts the workers, grants each of their trials, replaces a dead one.

A worker asks before every trial (see :mod:`nnscratch.sweep.workers`); the answer is

- ``"run"`` while the study's finished trials, the trials this coordinator has let
  run and those another machine is running add up to fewer than the target;
- ``"wait"`` when they reach it but a running trial may still fail and free a place;
- ``"stop"`` once the study holds the target, or the attempts allowed are used up
  (twice the missing trials: a failed trial gets one replacement; with a grid,
  one attempt per queued point).
"""

import multiprocessing
import os
import time
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import wait

from nnscratch.sweep import runner, workers


@dataclass
class Slot:
    """One worker process and this coordinator's ends of its pipes."""

    process: multiprocessing.Process
    requests: object
    lifeline: object
    busy: bool = False  # granted a trial that has not ended yet


class Coordinator:
    """Grants the trials of one sweep to its workers (see the module's docstring for the rules).

    Parameters
    ----------
    study : optuna.Study
        The study, opened (and checked) by :func:`nnscratch.sweep.runner.open_study`.
    config : dict
        The sweep's settings, as :func:`nnscratch.sweep.runner.run` takes them.
    target : int
        Finished trials the study should hold at the end.
    on_progress : callable (str) -> None, default=print
    poll_seconds : float, default=1.0
        Longest wait for a worker before the progress line is refreshed.
    """

    def __init__(self, study, config, target, on_progress=print, poll_seconds=1.0):
        self.study, self.config, self.target = study, config, target
        self.on_progress, self.poll_seconds = on_progress, poll_seconds
        needed = max(0, target - runner.count_finished(study))
        grid = config["sampler"] == "grid"
        self.budget = runner.count(study).get("WAITING", 0) if grid else 2 * needed
        self.jobs = min(config["jobs"], needed)  # never more workers than missing trials
        self.attempts, self.restarts, self.slots = 0, 0, []
        self._context = multiprocessing.get_context("spawn")
        self._stale_check = 0.0

    def run(self):
        """Run workers until none is left; return the last progress line printed."""
        if self.jobs == 0:
            return None
        _share_cores(self.jobs)
        self.on_progress(f"starting {self.jobs} worker process(es)")
        self.slots = [self._start(i) for i in range(self.jobs)]
        last = None
        try:
            while any(slot is not None for slot in self.slots):
                self._serve()
                last = runner.report_progress(self.study, self.target, last, self.on_progress)
        finally:
            for slot in self.slots:
                if slot is not None:
                    self._close(slot)
        return last

    def _start(self, index):
        requests, their_requests = self._context.Pipe()
        their_lifeline, lifeline = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=workers.main, args=(self.config, index, their_requests, their_lifeline), daemon=True
        )
        process.start()
        their_requests.close()  # the worker holds these ends now
        their_lifeline.close()
        return Slot(process, requests, lifeline)

    def _serve(self):
        """Answer the workers that asked and deal with those that ended, or wait ``poll_seconds``."""
        live = [(i, slot) for i, slot in enumerate(self.slots) if slot is not None]
        handles = {slot.requests: (i, slot) for i, slot in live} | {
            slot.process.sentinel: (i, slot) for i, slot in live
        }
        for handle in wait(list(handles), timeout=self.poll_seconds):
            i, slot = handles[handle]
            if self.slots[i] is not slot:  # ended (and perhaps replaced) earlier in this round
                continue
            if handle is slot.requests:
                self._answer(slot)
            else:
                self._ended(i, slot)

    def _answer(self, slot):
        try:
            slot.requests.recv()
        except (EOFError, OSError):  # the worker died; its sentinel says so next
            return
        slot.busy = False  # it asks only between trials
        decision = self._decide()
        slot.busy = decision == "run"
        self.attempts += slot.busy
        try:
            slot.requests.send(decision)
        except OSError:
            slot.busy = False

    def _decide(self):
        trials = self.study.get_trials(deepcopy=False)
        finished = sum(t.state.name in runner.FINISHED for t in trials)
        if finished >= self.target or self.attempts >= self.budget:
            return "stop"
        ours = {workers.worker_id(slot.process.pid) for slot in self.slots if slot is not None}
        elsewhere = sum(running_elsewhere(t, ours) for t in trials)
        busy = sum(slot.busy for slot in self.slots if slot is not None)
        if finished + busy + elsewhere < self.target:
            return "run"
        self._fail_stale()
        return "wait"

    def _fail_stale(self):
        """Let Optuna's heartbeat fail another machine's dead trials (a database storage), at most every 10 s."""
        import warnings

        import optuna

        if time.monotonic() - self._stale_check > 10:
            self._stale_check = time.monotonic()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                optuna.storages.fail_stale_trials(self.study)

    def _ended(self, index, slot):
        slot.process.join()
        self._close(slot)
        self.slots[index] = None
        code = slot.process.exitcode
        if code == 0:
            return
        lost = runner.fail_lost_worker(self.study, slot.process.pid)
        self.budget += lost  # each lost trial is queued again once
        self.on_progress(f"worker {index} died (exit code {code}); {lost} trial(s) marked failed and queued")
        if runner.count_finished(self.study) < self.target and self.restarts < 3 * self.jobs:
            self.restarts += 1
            self.slots[index] = self._start(index)

    @staticmethod
    def _close(slot):
        slot.requests.close()
        slot.lifeline.close()  # a worker still running sees its lifeline close and exits
        slot.process.join(timeout=10)


def running_elsewhere(trial, ours, fresh_seconds=60):
    """True for a running trial that another process may still finish: another machine's, a live
    worker's of another sweep on this machine, or one just begun and not named yet (ours among
    them, counted twice for a moment, which only makes a worker wait until its trial is named)."""
    if trial.state.name != "RUNNING":
        return False
    worker_id = trial.user_attrs.get("worker")
    if worker_id is None:
        started = trial.datetime_start
        return started is None or (datetime.now() - started).total_seconds() < fresh_seconds
    return worker_id not in ours and not runner.dead_on_this_host(worker_id)


def _share_cores(jobs):
    """Give each worker its share of the cores for BLAS (unless the user chose), so that J
    workers do not each start a thread per core and fight over them."""
    threads = str(max(1, (os.cpu_count() or 1) // jobs))
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, threads)  # read by the spawned workers when they import NumPy
