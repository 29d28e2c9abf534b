"""Where the time between the NumPy floor and ``Trainer.fit`` goes, one rung at a time.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/floor_ladder.py [--reps 11] [--hidden 50 1000]

``run.py --floor-only`` gives one ratio. This runs the same epoch several ways side by side
(interleaved rounds, medians), each rung one change away from the one before, so that the
difference between neighbours is the cost of that change alone:

1. ``floor``: the inline NumPy loop of ``floor.py`` (buffers reused, the learning rate folded
   into the scores' gradient, so each update is one subtraction).
2. ``layers, lr folded``: the same arithmetic through nnscratch's layers (``mlp``'s Affine,
   Relu, SoftmaxWithLoss called in a plain loop), the loss layer's backward seeded with ``lr``
   so that every ``dW`` already holds ``lr * grad``: the cost of the layers themselves.
3. ``loss_and_grads + update, lr folded``: the contract as the Trainer calls it for plain SGD,
   ``model.loss_and_grads(x, t, grad_scale=lr)`` then ``SGD.update(params, grads,
   lr_folded=True)``: the cost of the gradient dict and the optimizer's checks.
4. ``Trainer.fit``: the cost of the trainer's loop (batches, divergence check, accuracy).

Two more lines time rung 3 changed one way each:

- with exact gradients (``grad_scale=1``, then ``param -= lr * grad`` in ``update``), as every
  other optimizer and a learner's own loop get them: what folding the learning rate saves;
- with each step's gradients held into the next step (as a loop that keeps them in a variable
  does): what letting the next backward reuse their memory saves.

Every rung computes what a ``Trainer.fit`` epoch reports (mean loss, training accuracy).
"""

# First, as in the command line: nnscratch sets how long OpenBLAS threads spin before NumPy loads OpenBLAS.
import nnscratch  # noqa: F401

# isort: split

import argparse
import time

import numpy as np
from run import interleaved_runs, machine, median_seconds, nnscratch_epoch

from nnscratch import SGD, mlp
from nnscratch.data import load_fashion_mnist
from nnscratch.data.batching import BatchGatherer

from floor import inline_numpy_epoch

BATCH, LR = 100, 0.1
FLOOR = "1. floor (inline NumPy, lr folded)"
CONTRACT = "3. loss_and_grads + update, lr folded"
EXACT = "Rung 3 with exact gradients (param -= lr * grad in update)"
KEPT = "Rung 3 holding each step's gradients into the next"


def timed_epoch(step, x, t, seed=0):
    """One epoch of ``step(x_batch, t_batch) -> (loss, scores)`` over the Trainer's batches.

    ``x`` (N, D) float32, ``t`` (N,) int64; batches of BATCH rows in the order the Trainer draws
    for ``seed``. Counts the loss and the hits as the Trainer does. Returns the seconds.
    """
    gatherer = BatchGatherer(x, t, BATCH)
    start = time.perf_counter()
    order = np.random.default_rng(seed).permutation(len(t))
    loss_sum, correct = 0.0, 0
    for x_batch, t_batch in gatherer.batches(order):
        loss, scores = step(x_batch, t_batch)
        loss_sum += loss * len(t_batch)
        correct += int(np.count_nonzero(scores.argmax(axis=1) == t_batch))
    seconds = time.perf_counter() - start
    assert np.isfinite(loss_sum) and correct >= 0
    return seconds


def train_layers(model, x, t, seed=0):
    """Rung 2: one epoch through ``model``'s layers in a plain loop, lr folded. Returns the seconds.

    ``x`` (N, D) float32, ``t`` (N,) int64, as for :func:`timed_epoch`.
    """
    model.train()
    weighted = [layer for layer in model.layers if hasattr(layer, "W")]

    def step(x_batch, t_batch):
        scores = model.forward(x_batch)
        loss = model.loss_layer.forward(scores, t_batch, labels_checked=True)
        dout = model.loss_layer.backward(LR)  # backprop is linear in its seed: every dW is LR * grad
        for layer in reversed(model.layers[1:]):
            dout = layer.backward(dout)
        model.layers[0].backward(dout, input_grad=False)
        for layer in weighted:
            layer.W -= layer.dW
            layer.b -= layer.db
        return loss, scores

    return timed_epoch(step, x, t, seed)


def train_contract(model, x, t, seed=0, fold_lr=True, keep_grads=False):
    """Rung 3: ``loss_and_grads`` and ``SGD.update`` in a plain loop. Returns the seconds.

    ``x`` (N, D) float32, ``t`` (N,) int64, as for :func:`timed_epoch`.

    ``fold_lr=False`` asks for the true gradients and lets ``update`` multiply them by lr.
    Each step's gradients die when the step returns, as in the Trainer; ``keep_grads=True``
    holds them until the next step has made its own, as a loop that leaves them in a variable
    does: then no backward can reuse their memory.
    """
    optimizer, params, held = SGD(LR), model.params, []
    scale = LR if fold_lr else 1.0

    def step(x_batch, t_batch):
        loss, scores, grads = model.loss_and_grads(x_batch, t_batch, labels_checked=True, grad_scale=scale)
        optimizer.update(params, grads, lr_folded=fold_lr)
        if keep_grads:
            held[:] = [grads]
        return loss, scores

    return timed_epoch(step, x, t, seed)


def rung(train, x, t, x_test, t_test, hidden, **options):
    """Time ``train`` on a fresh ``mlp`` (the one ``run.py`` builds); returns (seconds, test accuracy)."""
    model = mlp(x.shape[1], [hidden], 10, seed=0)
    seconds = train(model, x, t, **options)
    return seconds, model.eval().accuracy(x_test, t_test)


def ladder(data, hidden, reps):
    """Markdown table: seconds per epoch of each rung, its speed against the floor, the step it adds."""
    (x, t), (x_test, t_test) = data
    jobs = {
        FLOOR: lambda: inline_numpy_epoch(x, t, x_test, t_test, hidden),
        "2. layers, lr folded": lambda: rung(train_layers, x, t, x_test, t_test, hidden),
        CONTRACT: lambda: rung(train_contract, x, t, x_test, t_test, hidden),
        "4. Trainer.fit": lambda: nnscratch_epoch(x, t, x_test, t_test, hidden),
        EXACT: lambda: rung(train_contract, x, t, x_test, t_test, hidden, fold_lr=False),
        KEPT: lambda: rung(train_contract, x, t, x_test, t_test, hidden, keep_grads=True),
    }
    runs = interleaved_runs(reps, jobs)
    floor = median_seconds(runs[FLOOR])
    steps = -(-len(t) // BATCH)
    lines = [
        f"\n### H = {hidden}: from the floor to Trainer.fit (medians of {reps} interleaved rounds)\n",
        "| rung | s/epoch | us/step | speed / floor | us/step added by this rung |",
        "|---|---:|---:|---:|---:|",
    ]
    variants = {name: runs.pop(name) for name in (EXACT, KEPT)}
    previous = None
    for name, rounds in runs.items():
        seconds = median_seconds(rounds)
        added = "" if previous is None else f"{(seconds - previous) / steps * 1e6:+.1f}"
        lines.append(f"| {name} | {seconds:.4f} | {seconds / steps * 1e6:.1f} | {floor / seconds:.3f}x | {added} |")
        previous = seconds
    lines.append("")
    for name, rounds in variants.items():
        seconds = median_seconds(rounds)
        added = (seconds - median_seconds(runs[CONTRACT])) / steps * 1e6
        lines.append(f"{name}: {seconds:.4f} s/epoch, {floor / seconds:.3f}x, {added:+.1f} us/step against rung 3")
    accuracies = ", ".join(f"{rounds[0][1]:.3f}" for rounds in runs.values())
    lines.append(f"\nTest accuracy after the epoch, rung by rung: {accuracies}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=11, help="interleaved rounds; the median counts (default: 11)")
    parser.add_argument("--hidden", type=int, nargs="+", default=[50, 1000], help="hidden sizes (default: 50 1000)")
    args = parser.parse_args(argv)
    if args.reps < 1 or min(args.hidden) < 1:
        parser.error(f"--reps and --hidden must be >= 1, got --reps {args.reps} --hidden {args.hidden}")
    data = load_fashion_mnist()
    print(f"Machine: {machine()}", flush=True)
    for hidden in args.hidden:
        print(ladder(data, hidden, args.reps), flush=True)


if __name__ == "__main__":
    main()
