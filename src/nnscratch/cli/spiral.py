"""``nnscratch spiral``: seed 000's softmax classifier and two-layer net on the spiral."""

import functools
import time

from nnscratch.cli.common import (
    format_table,
    nonnegative_float,
    positive_float,
    positive_int,
    run_record,
    save_plot,
    write_metrics,
)
from nnscratch.data import make_spiral
from nnscratch.models import SoftmaxClassifier, TwoLayerNet
from nnscratch.train import fit_full_batch
from nnscratch.viz import plot_decision_boundary, plot_history

SUMMARY_HEADERS = ["model", "iterations", "first loss", "final loss", "train acc", "test acc", "seconds"]


def spiral_options(sub):
    sub.add_argument("--hidden-size", type=positive_int, default=100, help="two-layer net (default: 100)")
    sub.add_argument("--learning-rate", type=positive_float, default=1.0, help="both models (default: 1.0)")
    sub.add_argument("--reg", type=nonnegative_float, default=1e-3, help="L2 strength, both (default: 1e-3)")
    sub.add_argument("--iterations", type=positive_int, default=10_000, help="two-layer net (default: 10000)")
    sub.add_argument("--softmax-iterations", type=positive_int, default=200, help="softmax (default: 200)")


def spiral(args):
    """Train both models by full-batch gradient descent; print, plot, write metrics."""
    data = make_spiral(seed=args.seed), make_spiral(seed=args.seed + 1)
    models = {
        "softmax": (SoftmaxClassifier(2, 3, reg=args.reg, seed=args.seed), args.softmax_iterations),
        "two_layer": (
            TwoLayerNet(2, args.hidden_size, 3, activation="relu", reg=args.reg, seed=args.seed),
            args.iterations,
        ),
    }
    runs, summary = {}, []
    for name, (model, iterations) in models.items():
        history, seconds = _train(name, model, iterations, args.learning_rate, data)
        runs[name] = _record(args, name, iterations, len(data[0][0]), history, seconds)
        first, final = history[0], history[-1]
        summary.append(
            (name, iterations, first["loss"], final["loss"], final["train_accuracy"], final["test_accuracy"], seconds)
        )
        _plot(args.output_dir, name, model, history, *data[0])
    print("\n" + format_table(SUMMARY_HEADERS, summary))
    print("(test: a second spiral drawn with seed + 1)")
    write_metrics(args.output_dir, "spiral", runs)
    return 0


def _train(name, model, iterations, learning_rate, data):
    """Full-batch gradient descent with progress every tenth of the run; returns (history, seconds)."""
    (x, t), validation = data
    print(f"\n{name}: {model}, learning rate {learning_rate:g}, {iterations} iterations")
    start = time.perf_counter()
    on_log = functools.partial(_print_progress, every=max(iterations // 10, 1), last=iterations)
    history = fit_full_batch(model, x, t, learning_rate, iterations, validation_data=validation, on_log=on_log)
    return history, time.perf_counter() - start


def _record(args, name, iterations, points, history, seconds):
    config = {
        "model": name,
        "hidden_size": args.hidden_size if name == "two_layer" else None,
        "learning_rate": args.learning_rate,
        "reg": args.reg,
        "iterations": iterations,
        "seed": args.seed,
        "points": points,
    }
    final = history[-1]
    return run_record(config, history, final["loss"], final["train_accuracy"], final["test_accuracy"], seconds=seconds)


def _plot(output_dir, name, model, history, x, t):
    save_plot(plot_history, {name: history}, output_dir / f"{name}_history.png", title=f"spiral: {name}")
    title = f"{name}: train accuracy {history[-1]['train_accuracy']:.2f}"
    save_plot(plot_decision_boundary, model.predict, x, t, output_dir / f"{name}_boundary.png", title=title)


def _print_progress(record, every, last):
    if record["iteration"] % every and record["iteration"] != last:
        return
    print(
        f"  iteration {record['iteration']:6d}: loss {record['loss']:.6f}  "
        f"train accuracy {record['train_accuracy']:.3f}"
    )
