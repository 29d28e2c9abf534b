"""One epoch of Fashion-MNIST on a GPU: nnscratch through CuPy beside PyTorch CUDA eager.

    PYTHONPATH=src python benchmarks/gpu.py [--reps 3] [--data-dir DIR] [--markdown FILE]

For H in {50, 1000} and batch in {100, 1000} (784-H-10 ReLU, plain SGD lr 0.1):
seconds per epoch of each, best of ``--reps`` rounds with the two taking turns,
how many times faster nnscratch is (below 1: slower), and test accuracy. Then
the same short run on the CPU and on the GPU, to show that the GPU's weights
match the CPU's within float32 tolerance. Needs CuPy, PyTorch with CUDA and a GPU.
"""

import argparse
import time
from functools import partial
from pathlib import Path

import numpy as np
from run import round_robin

from nnscratch import SGD, mlp
from nnscratch.backend import device_module, to_device
from nnscratch.data import load_fashion_mnist
from nnscratch.train import Trainer

from peers import torch_epoch

SIZES = ((50, 100), (50, 1000), (1000, 100), (1000, 1000))


def nnscratch_gpu_epoch(x, t, x_test, t_test, hidden, batch_size, lr=0.1, seed=0):
    """``Trainer.fit`` on the GPU for one epoch; (seconds, test accuracy).

    ``x`` (N, 784) float32 and ``t`` (N,) int64 are already on the device;
    ``x_test``, ``t_test`` are NumPy arrays.

    The loss and the correct count come back to the host every step, so the
    clock stops only after the GPU has finished.
    """
    model = mlp(x.shape[1], [hidden], 10, seed=seed)
    trainer = Trainer(model, SGD(lr), batch_size=batch_size, seed=seed, progress="none", device="gpu")
    start = time.perf_counter()
    trainer.fit(x, t, 1)
    seconds = time.perf_counter() - start
    return seconds, model.accuracy(x_test, t_test)


def timing_table(data, reps, torch_device):
    (x, t), (x_test, t_test) = data
    x_gpu, t_gpu = to_device(x, "gpu"), to_device(t, "gpu")
    lines = [
        f"\n### One epoch of {len(x):,} images, 784-H-10 ReLU, SGD lr 0.1; best of {reps}\n",
        "| H | batch | nnscratch (CuPy) s | PyTorch eager s | nnscratch faster by | accuracy nnscratch / PyTorch |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for hidden, batch in SIZES:
        jobs = {
            "nnscratch": partial(nnscratch_gpu_epoch, x_gpu, t_gpu, x_test, t_test, hidden, batch),
            "torch": partial(torch_epoch, x, t, x_test, t_test, hidden, batch_size=batch, device=torch_device),
        }
        for job in jobs.values():
            job()  # warm-up: CuPy compiles its kernels and CUDA sets up cuBLAS on first use
        rows = round_robin(reps, jobs)
        (ours, our_acc), (theirs, their_acc) = rows["nnscratch"], rows["torch"]
        lines.append(
            f"| {hidden} | {batch} | {ours:.3f} | {theirs:.3f} | {theirs / ours:.2f}x "
            f"| {our_acc:.4f} / {their_acc:.4f} |"
        )
    return "\n".join(lines)


def agreement_line(data, n=5000, epochs=2):
    """Train the same 784-100-10 net on CPU and GPU; the largest weight difference."""
    (x, t), (x_test, t_test) = data
    states, accuracies = {}, {}
    for device in ("cpu", "gpu"):
        model = mlp(x.shape[1], [100], 10, seed=0)
        Trainer(model, SGD(0.1), batch_size=100, seed=0, progress="none", device=device).fit(x[:n], t[:n], epochs)
        model.to("cpu")
        states[device], accuracies[device] = model.state_arrays(), model.accuracy(x_test, t_test)
    worst = max(float(np.abs(states["gpu"][k] - v).max()) for k, v in states["cpu"].items())
    return (
        f"\nGPU against CPU, 784-100-10 on {n:,} images for {epochs} epochs: largest weight difference "
        f"{worst:.2e}; test accuracy {accuracies['gpu']:.4f} (GPU) and {accuracies['cpu']:.4f} (CPU)"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="rounds per cell; the best counts (default: 3)")
    parser.add_argument("--data-dir", type=Path, help="folder with the Fashion-MNIST IDX files")
    parser.add_argument("--limit", type=int, help="use only the first LIMIT training images (for a quick try)")
    parser.add_argument("--torch-device", default="cuda", help="the peer's device (default: cuda)")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    try:
        cupy = device_module("gpu")
    except RuntimeError as error:
        parser.error(str(error))
    (x, t), test = load_fashion_mnist(args.data_dir, download=False)
    data = ((x[: args.limit], t[: args.limit]), test)
    report = [f"GPU: {cupy.cuda.runtime.getDeviceProperties(0)['name'].decode()}, CuPy {cupy.__version__}"]
    print(report[0], flush=True)
    for part in (timing_table(data, args.reps, args.torch_device), agreement_line(data)):
        print(part, flush=True)
        report.append(part)
    if args.markdown:
        args.markdown.write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
