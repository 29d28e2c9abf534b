"""Where the time between the NumPy floor and ``Trainer.fit`` goes, one rung at a time.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/floor_ladder.py [--reps 11] [--hidden 50 1000]
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/floor_ladder.py --chunk 20 [--reps 150]

``run.py --floor-only`` gives one ratio. This runs the same epoch several ways side by side
(interleaved rounds, medians), each rung one change away from the one before, so that the
difference between neighbours is the cost of that change alone:

1. ``floor``: the inline NumPy loop of ``floor.py`` (buffers reused, the learning rate folded
   into the scores' gradient, so each update is one subtraction).
2. ``the layers' arithmetic, inline``: the NumPy operations that rung 3's layers run, in the
   same order and making the same new arrays (each layer's output and gradient, the ReLU
   mask, the softmax out of place, its gradient a copy), written inline with no layer object
   and no check: what computing the step the layers' way costs, before any Python around it.
3. ``layers, lr folded``: the same arithmetic through nnscratch's layers (``mlp``'s Affine,
   Relu, SoftmaxWithLoss called in a plain loop), the loss layer's backward seeded with ``lr``
   so that every ``dW`` already holds ``lr * grad``: the cost of the layers' calls and checks.
4. ``loss_and_grads + update, lr folded``: the contract as the Trainer calls it for plain SGD,
   ``model.loss_and_grads(x, t, grad_scale=lr)`` then ``SGD.update(params, grads,
   lr_folded=True)``: the cost of the gradient dict and the optimizer's checks.
5. ``Trainer.fit``: the cost of the trainer's loop (batches, divergence check, accuracy).

Two more lines time rung 4 changed one way each:

- with exact gradients (``grad_scale=1``, then ``param -= lr * grad`` in ``update``), as every
  other optimizer and a learner's own loop get them: what folding the learning rate saves;
- with each step's gradients held into the next step (as a loop that keeps them in a variable
  does): what letting the next backward reuse their memory saves.

Every rung computes what a ``Trainer.fit`` epoch reports (mean loss, training accuracy).

``--chunk K`` times steps instead of epochs: every rung runs K steps in turn, round after
round, in one process, each continuing over the shuffled epochs where its last chunk stopped,
and each cell is the median over ``--reps`` rounds. On a machine whose speed drifts within
seconds, whole epochs (0.15 s to 2 s) taking turns cannot see a difference of 1%; chunks of
20 steps (5 to 50 ms) can. Rung 5 then calls the Trainer's own batch loop
(``Trainer._train_batches``) on each chunk, whose set-up (binding the step, allocating the
chunk's hit array) an epoch pays once: it adds about 1 us a step at K = 20.
"""

# First, as in the command line: nnscratch sets how long OpenBLAS threads spin before NumPy loads OpenBLAS.
import nnscratch  # noqa: F401

# isort: split

import argparse
import itertools
import time

import numpy as np
from run import interleaved_runs, machine, nnscratch_epoch

from nnscratch import SGD, mlp
from nnscratch.data import load_fashion_mnist
from nnscratch.data.batching import BatchGatherer
from nnscratch.train import Trainer

import floor
from floor import inline_numpy_epoch

BATCH, LR = 100, 0.1
FLOOR = "1. floor (inline NumPy, lr folded)"
ARITHMETIC = "2. the layers' arithmetic, inline"
LAYERS = "3. layers, lr folded"
CONTRACT = "4. loss_and_grads + update, lr folded"
TRAINER = "5. Trainer.fit"
EXACT = "Rung 4 with exact gradients (param -= lr * grad in update)"
KEPT = "Rung 4 holding each step's gradients into the next"


def counting(step):
    """``step`` wrapped to count what a ``Trainer.fit`` epoch reports, the way the Trainer counts it.

    The wrapper takes an iterable of ``(x_batch, t_batch)`` ((B, D) float32, (B,) int64) that
    holds ``n_samples`` rows in all, and returns the summed loss and the number of hits: each
    batch's hits are written into an (n_samples,) array, counted once at the end.
    """

    def run(batches, n_samples):
        loss_sum, hits, done = 0.0, np.empty(n_samples, dtype=bool), 0
        for x_batch, t_batch in batches:
            loss, scores = step(x_batch, t_batch)
            n = len(t_batch)
            np.equal(scores.argmax(axis=1), t_batch, out=hits[done : done + n])
            loss_sum += loss * n
            done += n
        return loss_sum, int(np.count_nonzero(hits[:done]))

    return run


def timed_epoch(step, x, t, seed=0):
    """One epoch of ``step(x_batch, t_batch) -> (loss, scores)`` over the Trainer's batches.

    ``x`` (N, D) float32, ``t`` (N,) int64; batches of BATCH rows in the order the Trainer draws
    for ``seed``. Counts the loss and the hits as the Trainer does. Returns the seconds.
    """
    gatherer = BatchGatherer(x, t, BATCH)
    start = time.perf_counter()
    order = np.random.default_rng(seed).permutation(len(t))
    loss_sum, correct = counting(step)(gatherer.batches(order), len(t))
    seconds = time.perf_counter() - start
    assert np.isfinite(loss_sum) and correct >= 0
    return seconds


def arithmetic_step(model):
    """Rung 2: the step ``step(x_batch, t_batch) -> (loss, scores)`` that rung 3's layers compute, inline.

    ``model`` is a 784-H-10 ``mlp`` (Affine, Relu(inplace=True), Affine, SoftmaxWithLoss); its
    parameters are updated in place. Each line is the NumPy operation the layer runs, in the
    layer's order, making the arrays the layer makes; the learning rate is folded as in rung 3.
    ``x_batch`` (B, D) float32, ``t_batch`` (B,) int64 with labels in [0, 10).
    """
    weights = tuple(model.params.values())  # W1, b1, W2, b2
    last = {"dW1": None, "dW2": None}  # each dW written over the last step's, as Affine does
    row_starts = np.arange(0, BATCH * 10, 10)  # made once, as SoftmaxWithLoss caches it

    def step(x, t):
        W1, b1, W2, b2 = weights
        n = len(t)
        h = x @ W1  # Affine: a new output
        h += b1
        mask = h > 0  # Relu(inplace=True): a new mask, the output written over its input
        np.maximum(h, 0, out=h)
        scores = h @ W2
        scores += b2
        shifted = scores - scores.max(axis=1, keepdims=True)  # SoftmaxWithLoss: the scores stay as they are
        label_at = row_starts[:n] + t
        picked = shifted.reshape(-1)[label_at]
        np.exp(shifted, out=shifted)
        sums = shifted.sum(axis=1, keepdims=True)
        shifted /= sums
        loss = float((np.log(sums)[:, 0] - picked).sum() / n)
        dscores = shifted.copy()  # its backward: a new gradient, y kept
        dscores.reshape(-1)[label_at] -= 1
        dscores *= LR / n
        last["dW2"] = dW2 = np.matmul(h.T, dscores, out=last["dW2"])
        db2 = dscores.sum(axis=0)
        dh = dscores @ W2.T
        np.multiply(dh, mask, out=dh)  # Relu's backward, in place
        last["dW1"] = dW1 = np.matmul(x.T, dh, out=last["dW1"])
        db1 = dh.sum(axis=0)
        W1 -= dW1
        b1 -= db1
        W2 -= dW2
        b2 -= db2
        return loss, scores

    return step


def layers_step(model):
    """Rung 3: ``step(x_batch, t_batch) -> (loss, scores)`` through ``model``'s layers, lr folded."""
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

    return step


def contract_step(model, fold_lr=True, keep_grads=False):
    """Rung 4: ``step(x_batch, t_batch) -> (loss, scores)`` by ``loss_and_grads`` and ``SGD.update``.

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

    return step


def train_arithmetic(model, x, t, seed=0):
    """One epoch of rung 2; returns the seconds. ``x`` (N, D) float32, ``t`` (N,) int64."""
    return timed_epoch(arithmetic_step(model), x, t, seed)


def train_layers(model, x, t, seed=0):
    """One epoch of rung 3; returns the seconds. ``x`` (N, D) float32, ``t`` (N,) int64."""
    return timed_epoch(layers_step(model), x, t, seed)


def train_contract(model, x, t, seed=0, fold_lr=True, keep_grads=False):
    """One epoch of rung 4 (options as :func:`contract_step`); returns the seconds."""
    return timed_epoch(contract_step(model, fold_lr, keep_grads), x, t, seed)


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
        ARITHMETIC: lambda: rung(train_arithmetic, x, t, x_test, t_test, hidden),
        LAYERS: lambda: rung(train_layers, x, t, x_test, t_test, hidden),
        CONTRACT: lambda: rung(train_contract, x, t, x_test, t_test, hidden),
        TRAINER: lambda: nnscratch_epoch(x, t, x_test, t_test, hidden),
        EXACT: lambda: rung(train_contract, x, t, x_test, t_test, hidden, fold_lr=False),
        KEPT: lambda: rung(train_contract, x, t, x_test, t_test, hidden, keep_grads=True),
    }
    runs = interleaved_runs(reps, jobs)
    steps = -(-len(t) // BATCH)
    title = f"\n### H = {hidden}: from the floor to Trainer.fit (medians of {reps} interleaved rounds)\n"
    seconds = {name: [s for s, _ in rounds] for name, rounds in runs.items()}
    lines = [title, *table(seconds, steps, "s/epoch")]
    accuracies = ", ".join(f"{runs[name][0][1]:.3f}" for name in (FLOOR, ARITHMETIC, LAYERS, CONTRACT, TRAINER))
    lines.append(f"\nTest accuracy after the epoch, rung by rung: {accuracies}")
    return "\n".join(lines)


def table(seconds, steps, unit):
    """Markdown lines for ``seconds`` (name -> seconds of each round, every round ``steps`` steps).

    The five rungs form the table, each row with what it adds to the one before; the two
    variants of rung 4 follow as lines, against rung 4. Speeds against the floor are the ratio
    of the medians, then the median of the rounds' own ratios.
    """
    medians = {name: float(np.median(values)) for name, values in seconds.items()}
    floor_rounds = np.asarray(seconds[FLOOR])

    def speeds(name):
        paired = np.median(floor_rounds / np.asarray(seconds[name]))
        return f"{medians[FLOOR] / medians[name]:.3f}x | {paired:.3f}x"

    lines = [
        f"| rung | {unit} | us/step | speed / floor | median of the rounds' ratios | us/step added by this rung |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    previous = None
    for name in (FLOOR, ARITHMETIC, LAYERS, CONTRACT, TRAINER):
        added = "" if previous is None else f"{(medians[name] - medians[previous]) / steps * 1e6:+.1f}"
        per_step = medians[name] / steps * 1e6
        lines.append(f"| {name} | {medians[name]:.4f} | {per_step:.1f} | {speeds(name)} | {added} |")
        previous = name
    lines.append("")
    for name in (EXACT, KEPT):
        added = (medians[name] - medians[CONTRACT]) / steps * 1e6
        lines.append(f"{name}: {medians[name]:.4f} {unit}, {speeds(name)}, {added:+.1f} us/step against rung 4")
    return lines


def endless_batches(x, t, seed=0):
    """The Trainer's batches of ``x`` (N, D) and ``t`` (N,), epoch after epoch, each epoch shuffled anew.

    Yields ``(x_batch, t_batch)``: (B, D) and (B,) views of buffers that the next batch overwrites.
    """
    gatherer, rng = BatchGatherer(x, t, BATCH), np.random.default_rng(seed)
    while True:
        yield from gatherer.batches(rng.permutation(len(t)))


def endless_indices(n, seed=0):
    """The floor's batches: index arrays (BATCH,) int64 into ``n`` rows, epoch after epoch."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(n)
        for start in range(0, n, BATCH):
            yield order[start : start + BATCH]


def floor_chunks(x, t, hidden):
    """Rung 1 for chunks: ``run(indices, n_samples)`` takes floor steps on the index arrays ``indices``.

    ``indices`` yields (B,) int64 arrays into the rows of ``x`` (N, D) float32 and ``t`` (N,)
    int64, ``n_samples`` rows in all; the floor updates the weights of an ``mlp`` of its own (aligned,
    as the other rungs' are). Returns the summed loss and the hits, counted as the other rungs count.
    """
    weights = list(mlp(x.shape[1], [hidden], 10, seed=0).params.values())
    buffers = floor._buffers(BATCH, x.shape[1], hidden, 10)

    def run(indices, n_samples):
        loss_sum, hits, done = 0.0, np.empty(n_samples, dtype=bool), 0
        for index in indices:
            loss_sum += floor._step(buffers, x, t, index, *weights, LR, hits[done : done + len(index)])
            done += len(index)
        return loss_sum, int(np.count_nonzero(hits))

    return run


def trainer_chunks(model):
    """Rung 5 for chunks: ``run(batches, n_samples)`` runs the Trainer's own loop over ``batches``."""
    trainer = Trainer(model, SGD(LR), batch_size=BATCH, progress="none")
    return lambda batches, n_samples: trainer._train_batches(batches, 1, n_samples)


def chunked_ladder(data, hidden, reps, k):
    """Markdown table as :func:`ladder`'s, each rung timed over ``k`` steps at a time, taking turns."""
    (x, t), _ = data
    names = (ARITHMETIC, LAYERS, CONTRACT, TRAINER, EXACT, KEPT)
    models = {name: mlp(x.shape[1], [hidden], 10, seed=0) for name in names}
    runs = {
        FLOOR: floor_chunks(x, t, hidden),
        ARITHMETIC: counting(arithmetic_step(models[ARITHMETIC])),
        LAYERS: counting(layers_step(models[LAYERS])),
        CONTRACT: counting(contract_step(models[CONTRACT])),
        TRAINER: trainer_chunks(models[TRAINER]),
        EXACT: counting(contract_step(models[EXACT], fold_lr=False)),
        KEPT: counting(contract_step(models[KEPT], keep_grads=True)),
    }
    streams = {name: endless_batches(x, t) for name in runs}
    streams[FLOOR] = endless_indices(len(t))

    def chunk(name):
        batches = itertools.islice(streams[name], k)
        start = time.perf_counter()
        runs[name](batches, k * BATCH)
        return time.perf_counter() - start, None

    warm_up = 3  # rounds not counted: the first steps allocate and fault in every array
    jobs = {name: (lambda name=name: chunk(name)) for name in runs}
    rounds = interleaved_runs(warm_up + reps, jobs)
    seconds = {name: [s for s, _ in values[warm_up:]] for name, values in rounds.items()}
    title = f"\n### H = {hidden}: from the floor to Trainer.fit, {k}-step chunks (medians of {reps} rounds)\n"
    return "\n".join([title, *table(seconds, k, f"s/{k} steps")])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=11, help="interleaved rounds; the median counts (default: 11)")
    parser.add_argument("--hidden", type=int, nargs="+", default=[50, 1000], help="hidden sizes (default: 50 1000)")
    parser.add_argument("--chunk", type=int, metavar="K", help="time K steps at a time instead of epochs")
    args = parser.parse_args(argv)
    if args.reps < 1 or min(args.hidden) < 1 or (args.chunk is not None and args.chunk < 1):
        parser.error(
            f"--reps, --hidden and --chunk must be >= 1, got --reps {args.reps} --hidden {args.hidden} "
            f"--chunk {args.chunk}"
        )
    data = load_fashion_mnist()
    print(f"Machine: {machine()}", flush=True)
    for hidden in args.hidden:
        if args.chunk is None:
            print(ladder(data, hidden, args.reps), flush=True)
        else:
            print(chunked_ladder(data, hidden, args.reps, args.chunk), flush=True)


if __name__ == "__main__":
    main()
