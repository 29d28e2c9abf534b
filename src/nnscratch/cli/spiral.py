"""``nnscratch spiral``: seed 000's softmax classifier and two-layer net on the spiral."""

import functools
import time

from nnscratch.cli.common import format_table, run_record, save_plot, write_metrics
from nnscratch.data import make_spiral
from nnscratch.models import SoftmaxClassifier, TwoLayerNet
from nnscratch.train import fit_full_batch
from nnscratch.viz import plot_decision_boundary, plot_history


def spiral(args):
    """Train both models by full-batch gradient descent; print, plot, write metrics."""
    x, t = make_spiral(seed=args.seed)
    x_test, t_test = make_spiral(seed=args.seed + 1)
    models = {
        "softmax": (SoftmaxClassifier(2, 3, reg=args.reg, seed=args.seed), args.softmax_iterations),
        "two_layer": (
            TwoLayerNet(2, args.hidden_size, 3, activation="relu", reg=args.reg, seed=args.seed),
            args.iterations,
        ),
    }
    runs, summary = {}, []
    for name, (model, iterations) in models.items():
        print(f"\n{name}: {model}, learning rate {args.learning_rate:g}, {iterations} iterations")
        start = time.perf_counter()
        print_every = max(iterations // 10, 1)
        history = fit_full_batch(
            model,
            x,
            t,
            args.learning_rate,
            iterations,
            validation_data=(x_test, t_test),
            on_log=functools.partial(_print_progress, every=print_every, last=iterations),
        )
        seconds = time.perf_counter() - start
        final = history[-1]
        test_accuracy = final["test_accuracy"]
        config = {
            "model": name,
            "hidden_size": args.hidden_size if name == "two_layer" else None,
            "learning_rate": args.learning_rate,
            "reg": args.reg,
            "iterations": iterations,
            "seed": args.seed,
            "points": len(x),
        }
        runs[name] = run_record(config, history, final["loss"], final["train_accuracy"], test_accuracy, seconds=seconds)
        summary.append(
            (name, iterations, history[0]["loss"], final["loss"], final["train_accuracy"], test_accuracy, seconds)
        )
        save_plot(plot_history, {name: history}, args.output_dir / f"{name}_history.png", title=f"spiral: {name}")
        save_plot(
            plot_decision_boundary,
            model.predict,
            x,
            t,
            args.output_dir / f"{name}_boundary.png",
            title=f"{name}: train accuracy {final['train_accuracy']:.2f}",
        )
    print(
        "\n"
        + format_table(["model", "iterations", "first loss", "final loss", "train acc", "test acc", "seconds"], summary)
    )
    print("(test: a second spiral drawn with seed + 1)")
    write_metrics(args.output_dir, "spiral", runs)
    return 0


def _print_progress(record, every, last):
    if record["iteration"] % every and record["iteration"] != last:
        return
    print(
        f"  iteration {record['iteration']:6d}: loss {record['loss']:.6f}  "
        f"train accuracy {record['train_accuracy']:.3f}"
    )
