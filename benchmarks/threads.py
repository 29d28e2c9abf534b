"""A convnet training step with and without nnscratch.parallel's threads, and OpenBLAS's spin.

    python benchmarks/threads.py [--model cnn three] [--rounds 3] [--steps 40]

Each cell is one fresh process (OpenBLAS reads ``OPENBLAS_THREAD_TIMEOUT`` once, when NumPy
loads it) that times ``--steps`` training steps (``loss_and_grads`` and Adam's update, batch 100)
after 5 warm-up steps and prints their median. The three settings take turns in every round:

- one thread, OpenBLAS's default spin (2**28 cycles): nnscratch before ``nnscratch.parallel``;
- threads, OpenBLAS's default spin: what splitting would cost a script that imported NumPy
  before nnscratch (``nnscratch.parallel`` then keeps to one thread: the first setting);
- threads, ``OPENBLAS_THREAD_TIMEOUT=20``: what the command line and ``import nnscratch`` first get.

The networks are those of ``time_to_accuracy.py`` (``cnn``: the command's default) and
``conv.py`` (``three``: the 3-layer CNN).
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

SETTINGS = {
    "1 thread, default spin": {"NNSCRATCH_NUM_THREADS": "1", "OPENBLAS_THREAD_TIMEOUT": "28"},
    "threads, default spin": {"OPENBLAS_THREAD_TIMEOUT": "28"},
    "threads, OPENBLAS_THREAD_TIMEOUT=20": {"OPENBLAS_THREAD_TIMEOUT": "20"},
}


def step_ms(model, steps):
    """Median milliseconds of a training step of ``model`` ("cnn" or "three"), in this process."""
    import time

    from nnscratch import Adam

    from cnn_peers import THREE_LAYER, he_weights, nnscratch_model
    from time_to_accuracy import CNN_SPEC

    spec = {"cnn": CNN_SPEC, "three": THREE_LAYER}[model]
    rng = np.random.default_rng(0)
    x, t = rng.random((100, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 100)
    net, optimizer = nnscratch_model(spec, he_weights(spec)), Adam(1e-3)
    params, times = net.params, []
    for k in range(5 + steps):
        start = time.perf_counter()
        optimizer.update(params, net.loss_and_grads(x, t)[2])
        if k >= 5:
            times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))


def measure(model, steps, env):
    """One fresh process with ``env`` added to this one's environment; its median ms per step."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", model, "--steps", str(steps)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    )
    return float(out.stdout.strip())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", nargs="+", choices=("cnn", "three"), default=["cnn", "three"])
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the median counts (default: 3)")
    parser.add_argument("--steps", type=int, default=40, help="timed steps per process (default: 40)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(step_ms(args.child, args.steps))
        return
    for model in args.model:
        results = {name: [] for name in SETTINGS}
        for r in range(args.rounds):
            names = list(SETTINGS) if r % 2 == 0 else list(SETTINGS)[::-1]  # take turns going first
            for name in names:
                results[name].append(measure(model, args.steps, SETTINGS[name]))
        base = np.median(results["1 thread, default spin"])
        print(f"\n### {model}: ms per training step, batch 100 (median of {args.rounds} interleaved rounds)\n")
        print("| setting | ms per step | every round | speed against one thread |")
        print("|---|---:|---|---:|")
        for name, values in results.items():
            every = ", ".join(f"{v:.1f}" for v in values)
            print(f"| {name} | {np.median(values):.1f} | {every} | {base / np.median(values):.2f}x |")


if __name__ == "__main__":
    main()
