"""One epoch of Fashion-MNIST in nnscratch and its peers, side by side, in one run.

    python benchmarks/run.py [--reps 5] [--skip-scaling] [--markdown benchmarks/RESULTS.md]
    python benchmarks/run.py --floor-only [--reps 9]

Prints the machine, the per-network table (seconds per epoch, samples/s, how
many times faster nnscratch is, test accuracy after the epoch, and the share
of the measured float32 GEMM rate the epoch's matrix products reach), the
scaling table and peak memory. Every cell is the median of ``--reps`` runs,
the implementations taking turns within each round (interleaved), so that a
machine whose speed drifts affects them alike; a best-of would hide that drift.
``--floor-only`` runs just ``Trainer.fit`` against the inline NumPy floor at
H = 50 and 1000 and prints their ratio: the short check of the step path.
"""

# First, as in the command line: nnscratch sets how long OpenBLAS threads spin before NumPy loads OpenBLAS.
import nnscratch  # noqa: F401

# isort: split

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from nnscratch import SGD, mlp
from nnscratch.data import load_fashion_mnist
from nnscratch.train import Trainer

from floor import inline_numpy_epoch
from peers import epoch_gemm_flops, gemm_rate, sklearn_epoch, torch_epoch
from textbook import BookTwoLayerNet, textbook_accuracy, textbook_epoch

HERE = Path(__file__).parent


def nnscratch_epoch(x, t, x_test, t_test, hidden, batch_size=100, lr=0.1, seed=0, device="cpu"):
    """The path users take: ``mlp`` + ``SGD`` + ``Trainer.fit`` for one epoch."""
    model = mlp(x.shape[1], [hidden], 10, seed=seed)
    trainer = Trainer(model, SGD(lr), batch_size=batch_size, seed=seed, progress="none", device=device)
    start = time.perf_counter()
    trainer.fit(x, t, 1)
    seconds = time.perf_counter() - start
    return seconds, model.to("cpu").accuracy(x_test, t_test)


def textbook_run(x, t, x_test, t_test, hidden, batch_size=100, lr=0.1, seed=0):
    x64, x_test64 = x.astype(np.float64), x_test.astype(np.float64)
    net = BookTwoLayerNet(x.shape[1], hidden, 10, np.random.default_rng(seed))
    start = time.perf_counter()
    textbook_epoch(net, x64, t, batch_size, lr, seed)
    return time.perf_counter() - start, textbook_accuracy(net, x_test64, t_test)


def median_of(reps, fn, *args, **kwargs):
    """(median seconds, accuracy of the last run) over ``reps`` runs."""
    results = [fn(*args, **kwargs) for _ in range(reps)]
    return float(np.median([s for s, _ in results])), results[-1][1]


def round_robin(reps, jobs):
    """Run every job once per round, ``reps`` rounds, so that a machine that speeds up or slows
    down during the run affects all of them alike. Returns name -> (median seconds, last accuracy).

    The median, not the best: a best-of picks each job's luckiest moment on a machine whose
    speed drifts, and hides how the jobs compare most of the time."""
    runs = interleaved_runs(reps, jobs)
    return {name: (median_seconds(r), r[-1][1]) for name, r in runs.items()}


def median_seconds(rounds):
    """The median of the seconds in ``rounds``, a list of (seconds, accuracy)."""
    return float(np.median([seconds for seconds, _ in rounds]))


def interleaved_runs(reps, jobs):
    """name -> [(seconds, accuracy) per round]. Every other round runs the jobs in reverse order,
    so that going first (a colder cache, a machine not yet slowed by the others) favours none."""
    results = {name: [] for name in jobs}
    names = list(jobs)
    for rep in range(reps):
        for name in names if rep % 2 == 0 else reversed(names):
            results[name].append(jobs[name]())
    return results


def machine():
    try:
        import threadpoolctl
    except ImportError:  # a GPU machine may lack it; the BLAS then goes unnamed
        blas = ["threadpoolctl not installed"]
    else:
        blas = [
            f"{p['internal_api']} {p['version']} ({p.get('architecture')}, {p['num_threads']} threads)"
            for p in threadpoolctl.threadpool_info()
            if p["user_api"] == "blas"
        ]
    versions = {"numpy": np.__version__}
    for name in ("torch", "sklearn"):
        try:
            versions[name] = __import__(name).__version__
        except ImportError:
            versions[name] = "not installed"
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return (
        f"CPU: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
        + f"; BLAS: {'; '.join(blas)}"
        + f"; OPENBLAS_THREAD_TIMEOUT={os.environ.get('OPENBLAS_THREAD_TIMEOUT', 'unset')}"
    )


def main_table(data, hidden, reps, rate):
    (x, t), (x_test, t_test) = data
    threads = os.cpu_count()
    jobs = {
        "nnscratch (Trainer.fit)": lambda: nnscratch_epoch(x, t, x_test, t_test, hidden),
        "textbook loop (float64)": lambda: textbook_run(x, t, x_test, t_test, hidden),
        "PyTorch CPU eager": lambda: torch_epoch(x, t, x_test, t_test, hidden, threads=threads),
        "scikit-learn MLPClassifier": lambda: sklearn_epoch(x, t, x_test, t_test, hidden),
        "inline NumPy loop (reference floor)": lambda: inline_numpy_epoch(x, t, x_test, t_test, hidden),
    }
    rows = round_robin(reps, jobs)
    ours = rows["nnscratch (Trainer.fit)"][0]
    flops = epoch_gemm_flops(len(x), x.shape[1], hidden)
    lines = [
        f"\n### 784-{hidden}-10 ReLU, batch 100, SGD lr 0.1, one epoch of {len(x):,} images\n",
        "| implementation | s/epoch | samples/s | nnscratch faster by | test accuracy | GEMM rate reached |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (seconds, accuracy) in rows.items():
        share = flops / seconds / rate
        lines.append(
            f"| {name} | {seconds:.3f} | {len(x) / seconds:,.0f} | {seconds / ours:.2f}x | "
            f"{accuracy:.4f} | {share:.0%} |"
        )
    return "\n".join(lines), {name: {"seconds": s, "accuracy": a} for name, (s, a) in rows.items()}


def scaling_table(data, reps):
    (x, t), (x_test, t_test) = data
    batches = (32, 100, 1000)
    lines = [
        "\n### nnscratch seconds per epoch, by hidden size and batch size\n",
        "| H \\ batch | " + " | ".join(map(str, batches)) + " |",
        "|---|" + "---:|" * len(batches),
    ]
    for hidden in (50, 200, 1000, 2000):
        cells = [median_of(reps, nnscratch_epoch, x, t, x_test, t_test, hidden, batch_size=b)[0] for b in batches]
        lines.append(f"| {hidden} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
    return "\n".join(lines)


def floor_table(data, reps):
    """``Trainer.fit`` against the inline NumPy floor only, at H = 50 and 1000, interleaved."""
    (x, t), (x_test, t_test) = data
    lines = [
        f"\n### Trainer.fit against the inline NumPy floor (medians of {reps} interleaved rounds)\n",
        "| H | Trainer.fit s/epoch | floor s/epoch | Trainer speed / floor speed | median of the rounds' ratios |",
        "|---:|---:|---:|---:|---:|",
    ]
    for hidden in (50, 1000):
        jobs = {
            "trainer": lambda hidden=hidden: nnscratch_epoch(x, t, x_test, t_test, hidden),
            "floor": lambda hidden=hidden: inline_numpy_epoch(x, t, x_test, t_test, hidden),
        }
        runs = interleaved_runs(reps, jobs)
        ours, floor = median_seconds(runs["trainer"]), median_seconds(runs["floor"])
        paired = np.median([f / o for (o, _), (f, _) in zip(runs["trainer"], runs["floor"], strict=True)])
        lines.append(f"| {hidden} | {ours:.4f} | {floor:.4f} | {floor / ours:.3f}x | {paired:.3f}x |")
    return "\n".join(lines)


def memory_line():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, str(HERE / "memory.py")], capture_output=True, text=True, check=True, env=env
    ).stdout
    m = json.loads(out.strip().splitlines()[-1])
    budget = 2.5 * (m["data_bytes"] + m["model_bytes"])
    return (
        f"\nPeak resident memory training 784-1000-10 on Fashion-MNIST: {m['peak_rss'] / 2**20:.0f} MiB; "
        f"float32 data set {m['data_bytes'] / 2**20:.0f} MiB + model {m['model_bytes'] / 2**20:.1f} MiB; "
        f"ratio {m['peak_rss'] / (m['data_bytes'] + m['model_bytes']):.2f} (target < 2.5, "
        f"{budget / 2**20:.0f} MiB)"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="repetitions per cell; the median counts (default: 5)")
    parser.add_argument("--skip-scaling", action="store_true", help="leave out the scaling table")
    parser.add_argument("--floor-only", action="store_true", help="only Trainer.fit against the NumPy floor")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    data = load_fashion_mnist()
    if args.floor_only:
        report = f"Machine: {machine()}\n" + floor_table(data, args.reps)
        print(report, flush=True)
        if args.markdown:
            args.markdown.write_text(report + "\n")
        return
    rate = gemm_rate()
    report = [
        f"Machine: {machine()}",
        f"Measured float32 GEMM rate (2048^3 np.matmul, best of 5): {rate / 1e9:.1f} GFLOP/s",
    ]
    print("\n".join(report), flush=True)
    for hidden in (50, 1000):
        table, _ = main_table(data, hidden, args.reps, rate)
        print(table, flush=True)
        report.append(table)
    if not args.skip_scaling:
        report.append(scaling_table(data, args.reps))
        print(report[-1], flush=True)
    report.append(memory_line())
    print(report[-1], flush=True)
    if args.markdown:
        args.markdown.write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
