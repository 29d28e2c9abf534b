"""One epoch of Fashion-MNIST on a GPU: nnscratch through CuPy beside PyTorch CUDA eager.

    PYTHONPATH=src python benchmarks/gpu.py [--reps 3] [--data-dir DIR] [--markdown FILE]

For H in {50, 1000} and batch in {100, 1000} (784-H-10 ReLU, plain SGD lr 0.1):
seconds per epoch of each, the median of ``--reps`` rounds with the three taking
turns, how many times faster nnscratch is than PyTorch (below 1: slower), and test
accuracy. The third is an inline CuPy loop (no layers, no checks, one
synchronisation per epoch): not a peer, but the floor that shows what the
Trainer's own work costs on a GPU. Then the same short run on the CPU and on the
GPU, to show that the GPU's weights match the CPU's within float32 tolerance.
Needs CuPy, PyTorch with CUDA and a GPU.
"""

import argparse
import time
from functools import partial
from pathlib import Path

import numpy as np
from run import round_robin

from nnscratch import SGD, mlp
from nnscratch.backend import device_module, get_array_module, to_device, to_numpy
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


def inline_cupy_epoch(x, t, x_test, t_test, hidden, batch_size, lr=0.1, seed=0):
    """The same epoch as one inline loop on the array module of ``x``; (seconds, test accuracy).

    ``x`` (N, 784) float32 and ``t`` (N,) int64 live on the device; the clock stops after
    one synchronisation at the end of the epoch, as PyTorch's does.
    """
    xp = get_array_module(x)
    rng = np.random.default_rng(seed)
    d, classes = x.shape[1], 10
    W1 = xp.asarray((rng.standard_normal((d, hidden)) * np.sqrt(2 / d)).astype(np.float32))
    W2 = xp.asarray((rng.standard_normal((hidden, classes)) * np.sqrt(2 / hidden)).astype(np.float32))
    b1, b2 = xp.zeros(hidden, np.float32), xp.zeros(classes, np.float32)
    start = time.perf_counter()
    order = xp.asarray(rng.permutation(len(x)))
    for s in range(0, len(x), batch_size):
        index = order[s : s + batch_size]
        xv, tv = x[index], t[index]
        n = len(tv)
        h = xp.maximum(xv @ W1 + b1, 0)
        scores = h @ W2 + b2
        e = xp.exp(scores - scores.max(axis=1, keepdims=True))
        dscores = e / e.sum(axis=1, keepdims=True)
        dscores[xp.arange(n), tv] -= 1
        dscores /= n
        dh = (dscores @ W2.T) * (h > 0)
        W2 -= lr * (h.T @ dscores)
        b2 -= lr * dscores.sum(axis=0)
        W1 -= lr * (xv.T @ dh)
        b1 -= lr * dh.sum(axis=0)
    float(b1[0])  # waits for the device, like torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    scores = xp.maximum(xp.asarray(x_test) @ W1 + b1, 0) @ W2 + b2
    return seconds, float((to_numpy(scores.argmax(axis=1)) == t_test).mean())


def timing_table(data, reps, torch_device):
    (x, t), (x_test, t_test) = data
    x_gpu, t_gpu = to_device(x, "gpu"), to_device(t, "gpu")
    lines = [
        f"\n### One epoch of {len(x):,} images, 784-H-10 ReLU, SGD lr 0.1; median of {reps} interleaved rounds\n",
        "| H | batch | nnscratch (CuPy) s | PyTorch eager s | inline CuPy loop s "
        "| nnscratch faster than PyTorch by | accuracy nnscratch / PyTorch |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for hidden, batch in SIZES:
        jobs = {
            "nnscratch": partial(nnscratch_gpu_epoch, x_gpu, t_gpu, x_test, t_test, hidden, batch),
            "torch": partial(torch_epoch, x, t, x_test, t_test, hidden, batch_size=batch, device=torch_device),
            "floor": partial(inline_cupy_epoch, x_gpu, t_gpu, x_test, t_test, hidden, batch),
        }
        for job in jobs.values():
            job()  # warm-up: CuPy compiles its kernels and CUDA sets up cuBLAS on first use
        rows = round_robin(reps, jobs)
        (ours, our_acc), (theirs, their_acc), (floor, _) = rows["nnscratch"], rows["torch"], rows["floor"]
        lines.append(
            f"| {hidden} | {batch} | {ours:.3f} | {theirs:.3f} | {floor:.3f} | {theirs / ours:.2f}x "
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


def device_line(cupy):
    """The GPU, its driver and the libraries, as one line for the report."""
    import torch

    runtime = cupy.cuda.runtime

    def cuda_version(number):
        return f"{number // 1000}.{number % 1000 // 10}"

    name = runtime.getDeviceProperties(0)["name"].decode()
    return (
        f"GPU: {name}; CUDA driver API {cuda_version(runtime.driverGetVersion())}, "
        f"runtime {cuda_version(runtime.runtimeGetVersion())}; CuPy {cupy.__version__}, NumPy {np.__version__}, "
        f"PyTorch {torch.__version__}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="rounds per cell; the median counts (default: 3)")
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
    report = [device_line(cupy)]
    print(report[0], flush=True)
    for part in (timing_table(data, args.reps, args.torch_device), agreement_line(data)):
        print(part, flush=True)
        report.append(part)
    if args.markdown:
        args.markdown.write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
