"""Convolution forward + backward at batch 100: nnscratch, the book's im2col layers, PyTorch CPU eager.

    python benchmarks/conv.py [--reps 7] [--steps 10] [--markdown FILE]

Three cells, each the seconds of ``--steps`` forward + backward passes, the median of ``--reps``
rounds in which the three implementations take turns:

- the SimpleConvNet's convolution alone (1x28x28 input, 30 filters 5x5, stride 1, pad 0),
  input gradient included, then its 2x2 max pooling;
- the whole SimpleConvNet (conv - relu - pool - affine 100 - relu - affine 10) and a 3-layer
  CNN (conv 16 3x3 - relu - pool - conv 32 3x3 - relu - pool - affine 10, pad 1): loss and
  every parameter's gradient, as one training step computes them (no update).

nnscratch and PyTorch compute in float32, the book in float64 (its ``np.random.randn`` weights).
The goals: nnscratch >= 3x as fast as the book's, and within 2x of PyTorch (ratio <= 2).
"""

# First, as in the command line: nnscratch sets how long OpenBLAS threads spin before NumPy loads OpenBLAS.
import nnscratch  # noqa: F401

# isort: split

import argparse
import os
import time
from pathlib import Path

import numpy as np
from run import machine, round_robin

from book_conv import BookConvolution, BookPooling
from cnn_peers import SIMPLE, THREE_LAYER, book_model, he_weights, nnscratch_model, torch_model

BATCH = 100


def timed(steps, step):
    step()  # warm-up: first-call allocations and caches
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return time.perf_counter() - start, None


def layer_jobs(x, steps):
    """Convolution 30 5x5 (+ max pooling 2x2) forward and backward, input gradient included."""
    import torch
    from torch.nn import functional

    from nnscratch.layers import Convolution, Pooling

    rng = np.random.default_rng(0)
    W = (rng.standard_normal((30, 1, 5, 5)) * 0.2).astype(np.float32)
    b = np.zeros(30, dtype=np.float32)
    ours_conv, ours_pool = Convolution(W.copy(), b.copy()), Pooling(2, 2, stride=2)
    book_conv, book_pool = BookConvolution(W.astype(np.float64), b.astype(np.float64)), BookPooling(2, 2, stride=2)
    x64 = x.astype(np.float64)
    tx, tW, tb = (torch.from_numpy(a.copy()).requires_grad_() for a in (x, W, b))

    def ours():
        h = ours_conv.forward(x)
        ours_conv.backward(ours_pool.backward(np.ones_like(ours_pool.forward(h))))

    def book():
        h = book_conv.forward(x64)
        book_conv.backward(book_pool.backward(np.ones_like(book_pool.forward(h))))

    def torch_step():
        for t in (tx, tW, tb):
            t.grad = None
        functional.max_pool2d(functional.conv2d(tx, tW, tb), 2).sum().backward()

    return {
        "nnscratch": lambda: timed(steps, ours),
        "book (im2col loops, float64)": lambda: timed(steps, book),
        "PyTorch CPU eager": lambda: timed(steps, torch_step),
    }


def network_jobs(spec, x, t, steps):
    """Loss and gradients of the spec's network at batch 100, in each implementation."""
    import torch

    weights = he_weights(spec, x.shape[1:], seed=0)
    ours = nnscratch_model(spec, weights)
    book = book_model(spec, weights)
    theirs = torch_model(spec, weights)
    x64, tx, tt = x.astype(np.float64), torch.from_numpy(x), torch.from_numpy(t)
    loss_fn = torch.nn.CrossEntropyLoss()

    def torch_step():
        theirs.zero_grad(set_to_none=True)
        loss_fn(theirs(tx), tt).backward()

    return {
        "nnscratch": lambda: timed(steps, lambda: ours.loss_and_grads(x, t)),
        "book (im2col loops, float64)": lambda: timed(steps, lambda: book.gradient(x64, t)),
        "PyTorch CPU eager": lambda: timed(steps, torch_step),
    }


def table(title, rows, steps):
    ours = rows["nnscratch"][0]
    lines = [
        f"\n### {title}\n",
        "| implementation | ms per forward + backward | its time / nnscratch's |",
        "|---|---:|---:|",
    ]
    for name, (seconds, _) in rows.items():
        lines.append(f"| {name} | {1e3 * seconds / steps:.2f} | {seconds / ours:.2f}x |")
    return "\n".join(lines)


def main(argv=None):
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7, help="rounds; the median counts (default: 7)")
    parser.add_argument("--steps", type=int, default=10, help="forward + backward passes per cell (default: 10)")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="PyTorch's threads (default: all cores); give NumPy's BLAS the same with OPENBLAS_NUM_THREADS",
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads or os.cpu_count())
    rng = np.random.default_rng(0)
    x = rng.random((BATCH, 1, 28, 28), dtype=np.float32)
    t = rng.integers(0, 10, BATCH)
    rounds = f"Medians of {args.reps} interleaved rounds of {args.steps} steps, batch {BATCH}."
    report = [f"Machine: {machine()}", rounds]
    cells = [
        ("SimpleConvNet's convolution (30 filters 5x5) + max pooling 2x2", layer_jobs(x, args.steps)),
        ("SimpleConvNet, loss and gradients", network_jobs(SIMPLE, x, t, args.steps)),
        ("3-layer CNN (conv 16 - pool - conv 32 - pool - affine 10), loss and gradients",
         network_jobs(THREE_LAYER, x, t, args.steps)),
    ]  # fmt: skip
    print("\n".join(report), flush=True)
    for title, jobs in cells:
        report.append(table(title, round_robin(args.reps, jobs), args.steps))
        print(report[-1], flush=True)
    if args.markdown:
        args.markdown.write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
