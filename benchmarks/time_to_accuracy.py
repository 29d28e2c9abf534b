"""Seconds until the Fashion-MNIST test accuracy first reaches a target: nnscratch and PyTorch CPU.

    python benchmarks/time_to_accuracy.py [--model mlp cnn] [--reps 3] [--device gpu] [--data-dir DIR] [--markdown FILE]

The user-visible number. The MLP is 784-512-256-10 ReLU with dropout 0.2 after each hidden
layer, Adam (lr 1e-3), a cosine schedule over 20 epochs, batch 128, target 0.90; the CNN is
``nnscratch fashion --model cnn``'s default network and settings (``CNN_SPEC`` and
``CNN_SETTINGS`` below), target 0.92. Both implementations start from the same He-normal
weights, shuffle every epoch, and measure the test accuracy after every epoch (in batches of
1,000 images for the MLP, and for the CNN in batches of 100, as its command does); the clock runs
from the start of training to the end of the epoch whose evaluation first reaches the target
(evaluation included), and a run stops there. Each round runs nnscratch, then PyTorch (taking
turns, so that a machine whose speed drifts affects both alike); every cell is the median over
the rounds. Round r seeds both implementations with ``--seed + r`` (the weights, the shuffle,
the dropout masks), so that the median is over training runs, not over one run's luck in
reaching the target an epoch sooner or later; every round's time and epochs are listed.
With ``--device gpu`` both train on the GPU: nnscratch through CuPy, PyTorch on CUDA.
"""

# First, as in the command line: nnscratch sets how long OpenBLAS threads spin before NumPy loads OpenBLAS.
import nnscratch  # noqa: F401

# isort: split

import argparse
import os
import time
from pathlib import Path

import numpy as np
from run import machine

from cnn_peers import he_weights, nnscratch_model, torch_model

MLP_SPEC = [
    ("affine", 512), ("relu",), ("dropout", 0.2),
    ("affine", 256), ("relu",), ("dropout", 0.2),
    ("affine", 10),
]  # fmt: skip
MLP_SETTINGS = {
    "epochs": 20, "batch_size": 128, "lr": 1e-3, "target": 0.90, "input_shape": (784,), "eval_batch_size": 1000,
}  # fmt: skip
# The default of `nnscratch fashion --model cnn` (cli/cnn.py builds the same network with convnet).
CNN_SPEC = [
    ("conv", 32, 3, 1), ("relu",), ("pool", 2),
    ("conv", 64, 3, 1), ("relu",), ("pool", 2),
    ("flatten",), ("affine", 128), ("relu",), ("dropout", 0.3),
    ("affine", 10),
]  # fmt: skip
# The command evaluates a CNN in batches of its training batch (cli/cnn.py): the column matrices of
# a 1,000-image batch take 226 MB, and both implementations evaluate faster in batches of 100.
CNN_SETTINGS = {
    "epochs": 10, "batch_size": 100, "lr": 1e-3, "target": 0.92, "input_shape": (1, 28, 28), "eval_batch_size": 100,
}  # fmt: skip
MODELS = {"mlp": (MLP_SPEC, MLP_SETTINGS), "cnn": (CNN_SPEC, CNN_SETTINGS)}
PEERS = {"cpu": "PyTorch CPU eager", "gpu": "PyTorch CUDA eager"}


def nnscratch_run(spec, settings, data, seed=0, device="cpu"):
    """Trainer.fit with Adam and CosineAnnealing on ``device``; returns the run's record (see :func:`record`)."""
    from nnscratch import Adam
    from nnscratch.optim import CosineAnnealing
    from nnscratch.train import Trainer

    (x, t), (x_test, t_test) = data
    model = nnscratch_model(spec, he_weights(spec, settings["input_shape"], seed), seed=seed)
    marks = []
    start = time.perf_counter()

    def reached(entry, trainer):
        marks.append((time.perf_counter() - start, entry["test_accuracy"], entry["seconds"]))
        return entry["test_accuracy"] >= settings["target"]

    trainer = Trainer(
        model,
        Adam(settings["lr"]),
        batch_size=settings["batch_size"],
        seed=seed,
        lr_schedule=CosineAnnealing(settings["epochs"]),
        progress="none",
        on_epoch_end=reached,
        eval_batch_size=settings["eval_batch_size"],
        device=device,
    )
    trainer.fit(x, t, settings["epochs"], validation_data=(x_test, t_test))
    return record(marks, settings["target"])


def torch_run(spec, settings, data, seed=0, threads=None, device="cpu"):
    """The same network, optimizer and schedule in PyTorch eager on ``device``; returns :func:`record`.

    On the GPU the clock reads the epoch's end after the test accuracy came back to the host,
    which waits for every kernel queued so far.
    """
    import torch

    torch.set_num_threads(threads or os.cpu_count())
    torch.manual_seed(seed)
    (x, t), (x_test, t_test) = data
    where = "cuda" if device == "gpu" else "cpu"
    model = torch_model(spec, he_weights(spec, settings["input_shape"], seed)).to(where)
    optimizer = torch.optim.Adam(model.parameters(), lr=settings["lr"])
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=settings["epochs"])
    loss_fn = torch.nn.CrossEntropyLoss()
    xs, ts = torch.from_numpy(x).to(where), torch.from_numpy(t.astype(np.int64)).to(where)
    x_test, batch = torch.from_numpy(x_test).to(where), settings["batch_size"]
    marks = []
    start = time.perf_counter()
    for _ in range(settings["epochs"]):
        epoch_start = time.perf_counter()
        model.train()
        order = torch.randperm(len(xs), device=where)
        for i in range(0, len(xs), batch):
            index = order[i : i + batch]
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(xs[index]), ts[index]).backward()
            optimizer.step()
        schedule.step()
        model.eval()
        with torch.no_grad():
            step = settings["eval_batch_size"]
            predicted = torch.cat([model(x_test[i : i + step]).argmax(1) for i in range(0, len(x_test), step)])
        accuracy = float((predicted.cpu().numpy() == t_test).mean())
        marks.append((time.perf_counter() - start, accuracy, time.perf_counter() - epoch_start))
        if accuracy >= settings["target"]:
            break
    return record(marks, settings["target"])


def record(marks, target):
    """From (seconds since start, test accuracy, epoch seconds) per epoch: the run's numbers."""
    hit = next((i for i, (_, accuracy, _) in enumerate(marks) if accuracy >= target), None)
    return {
        "seconds": None if hit is None else marks[hit][0],
        "epochs": None if hit is None else hit + 1,
        "median_epoch": float(np.median([m[2] for m in marks])),
        "accuracy": marks[-1][1],
        "curve": [round(m[1], 4) for m in marks],
    }


def load(settings, data_dir=None):
    from nnscratch.data import load_fashion_mnist

    (x, t), (x_test, t_test) = load_fashion_mnist(data_dir)
    shape = (-1, *settings["input_shape"])
    return (x.reshape(shape), t.astype(np.int64)), (x_test.reshape(shape), t_test.astype(np.int64))


def table(name, settings, rounds, peer="PyTorch CPU eager"):
    """Markdown table of the medians over rounds, and the speed ratio against ``peer``."""
    lines = [
        f"\n### {name}: seconds to test accuracy {settings['target']} (median of {len(rounds)} rounds)\n",
        "| implementation | seconds to target | epochs | median s/epoch | final accuracy | every round: s (epochs) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    medians = {}
    for impl in ("nnscratch", peer):
        runs = [r[impl] for r in rounds]
        times = [r["seconds"] for r in runs]
        reached = [s for s in times if s is not None]
        medians[impl] = float(np.median(reached)) if len(reached) == len(times) else None
        shown = "not reached" if medians[impl] is None else f"{medians[impl]:.1f}"
        epochs = [r["epochs"] for r in runs if r["epochs"] is not None]
        lines.append(
            f"| {impl} | {shown} | {int(np.median(epochs)) if epochs else '-'} | "
            f"{np.median([r['median_epoch'] for r in runs]):.2f} | {runs[-1]['accuracy']:.4f} | "
            + ", ".join("-" if r["seconds"] is None else f"{r['seconds']:.1f} ({r['epochs']})" for r in runs)
            + " |"
        )
    ours, theirs = medians["nnscratch"], medians[peer]
    if ours and theirs:
        lines.append(f"\nnnscratch time / PyTorch time: {ours / theirs:.2f}x")
    for impl in ("nnscratch", peer):
        lines.append(f"\n{impl} test accuracy per epoch (last round): {rounds[-1][impl]['curve']}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", nargs="+", choices=sorted(MODELS), default=["mlp", "cnn"])
    parser.add_argument("--reps", type=int, default=3, help="rounds; the median counts (default: 3)")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument("--data-dir", type=Path, help="folder with the Fashion-MNIST IDX files (default: searched)")
    parser.add_argument("--device", choices=sorted(PEERS), default="cpu", help="where both train (default: cpu)")
    parser.add_argument("--seed", type=int, default=0, help="round r uses seed + r for both (default: 0)")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="PyTorch's threads (default: all cores); give NumPy's BLAS the same with OPENBLAS_NUM_THREADS",
    )
    parser.add_argument(
        "--only", choices=("nnscratch", "torch"), help="run one implementation alone (prints its runs, no table)"
    )
    args = parser.parse_args(argv)
    peer = PEERS[args.device]
    report = [f"Machine: {machine()}"]
    print(report[0], flush=True)
    for name in args.model:
        spec, settings = MODELS[name]
        data = load(settings, args.data_dir)
        rounds = []
        for rep in range(args.reps):
            rounds.append({})
            seed = args.seed + rep
            if args.only in (None, "nnscratch"):
                rounds[-1]["nnscratch"] = nnscratch_run(spec, settings, data, seed=seed, device=args.device)
                print(name, "nnscratch", rounds[-1]["nnscratch"], flush=True)
            if args.only in (None, "torch"):
                rounds[-1][peer] = torch_run(spec, settings, data, seed, args.threads, args.device)
                print(name, "PyTorch", rounds[-1][peer], flush=True)
        if args.only is not None:
            continue  # one implementation alone: no ratio to report
        report.append(table(name.upper(), settings, rounds, peer))
        print(report[-1], flush=True)
        if args.markdown:  # after each model: a long run that is stopped keeps what it measured
            args.markdown.write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
