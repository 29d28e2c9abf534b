"""What one training step costs besides its matrix products: Trainer.fit against the floor.

    python benchmarks/step_costs.py [--hidden 50 1000] [--steps 200]

A quieter companion to ``run.py --floor-only`` for a machine whose speed drifts: counts that
do not depend on how busy the machine is, per step of 784-H-10 ReLU, batch 100, SGD lr 0.1 on
random data (the same shapes as the Fashion-MNIST epoch):

- Python function calls (cProfile; each costs about 0.05-0.3 us, the floor makes few);
- peak traced memory of one epoch above what was there before it (tracemalloc: the model,
  the buffers and the largest step's temporaries together);
- minor page faults (fresh memory the kernel has to map);
- process CPU seconds per step with one BLAS thread (less sensitive to other tenants than
  wall time, not immune: compare the two columns of one run only).
"""

import argparse
import cProfile
import pstats
import resource
import time
import tracemalloc

import numpy as np

from nnscratch import SGD, mlp
from nnscratch.train import Trainer

from floor import inline_numpy_epoch

D, CLASSES, BATCH = 784, 10, 100


def trainer_run(x, t, hidden):
    Trainer(mlp(D, [hidden], CLASSES, seed=0), SGD(0.1), batch_size=BATCH, seed=0, progress="none").fit(x, t, 1)


def floor_run(x, t, hidden):
    inline_numpy_epoch(x, t, x[:BATCH], t[:BATCH], hidden, batch_size=BATCH)


def calls(run, x, t, hidden):
    profile = cProfile.Profile()
    profile.runcall(run, x, t, hidden)
    return pstats.Stats(profile).total_calls


def peak_bytes(run, x, t, hidden):
    """Peak traced memory above the start, over a whole epoch (model, buffers, a step's temporaries)."""
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    run(x, t, hidden)
    peak = tracemalloc.get_traced_memory()[1] - start
    tracemalloc.stop()
    return peak


def faults_and_cpu(run, x, t, hidden, reps=5):
    """(minor page faults, median CPU seconds) of one epoch, after one warm-up run."""
    run(x, t, hidden)
    results = []
    for _ in range(reps):
        faults, cpu = resource.getrusage(resource.RUSAGE_SELF).ru_minflt, time.process_time()
        run(x, t, hidden)
        results.append((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults, time.process_time() - cpu))
    return min(f for f, _ in results), float(np.median([c for _, c in results]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, nargs="+", default=[50, 1000])
    parser.add_argument("--steps", type=int, default=200, help="steps per epoch (default: 200)")
    args = parser.parse_args(argv)
    import threadpoolctl

    rng = np.random.default_rng(0)
    x = rng.random((args.steps * BATCH, D), dtype=np.float32)
    t = rng.integers(0, CLASSES, args.steps * BATCH)
    print("| H | run | Python calls/step | peak traced KiB | page faults/step | CPU ms/step (1 thread) |")
    print("|---:|---|---:|---:|---:|---:|")
    with threadpoolctl.threadpool_limits(1, "blas"):
        for hidden in args.hidden:
            for name, run in (("Trainer.fit", trainer_run), ("floor", floor_run)):
                faults, cpu = faults_and_cpu(run, x, t, hidden)
                n_calls, kib = calls(run, x, t, hidden) / args.steps, peak_bytes(run, x, t, hidden) / 1024
                cells = f"{n_calls:.1f} | {kib:.0f} | {faults / args.steps:.2f} | {cpu / args.steps * 1e3:.3f}"
                print(f"| {hidden} | {name} | {cells} |", flush=True)


if __name__ == "__main__":
    main()
