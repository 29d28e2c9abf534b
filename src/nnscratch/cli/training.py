"""What the training commands share: options, one run of the Trainer, its table and plots."""

import time
from pathlib import Path

import numpy as np

from nnscratch.backend import DEVICES
from nnscratch.cli.common import format_table, positive_float, positive_int, run_record, save_plot
from nnscratch.functional import softmax
from nnscratch.optim import OPTIMIZERS
from nnscratch.train import Trainer
from nnscratch.viz import (
    plot_confusion_matrix,
    plot_first_layer_weights,
    plot_history,
    plot_prediction,
    plot_probabilities,
)
from nnscratch.viz.conv import plot_conv_filters, plot_feature_maps
from nnscratch.viz.training import as_image


def add_training_options(
    sub, *, epochs, learning_rate, batch_size, optimizer="sgd", hidden_size=None, data=True, set_by="--config"
):
    """The options every training command takes, with the command's own defaults.

    A default of None (or ``hidden_size=[]``) means "set by ``set_by``"; the command fills it in.
    """

    def default(value):
        shown = " ".join(map(str, value)) if isinstance(value, list) else value
        return f"(default: set by {set_by})" if value in (None, []) else f"(default: {shown})"

    sub.add_argument("--epochs", type=positive_int, default=epochs, help=default(epochs))
    sub.add_argument("--learning-rate", type=positive_float, default=learning_rate, help=default(learning_rate))
    sub.add_argument("--batch-size", type=positive_int, default=batch_size, help=default(batch_size))
    sub.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default=optimizer, help=default(optimizer))
    if hidden_size is not None:
        sub.add_argument(
            "--hidden-size",
            type=positive_int,
            nargs="+",
            default=hidden_size or None,
            help="hidden layer size(s) " + default(hidden_size),
        )
    sub.add_argument("--device", choices=DEVICES, default="cpu", help="cpu, or gpu through CuPy (default: cpu)")
    sub.add_argument(
        "--resume", action="store_true", help="continue from the newest valid checkpoint in OUTPUT_DIR/checkpoints"
    )
    if data:
        sub.add_argument("--data-dir", type=Path, default=None, help="folder with the data set's files")


def single_hidden_size(args):
    """The one hidden size of a two-layer net; a clear error if several were given."""
    if len(args.hidden_size) != 1:
        raise ValueError(f"--hidden-size takes one size for a two-layer net, got {args.hidden_size}")
    return args.hidden_size[0]


def train_and_report(
    args,
    model,
    data,
    class_names=None,
    image_shape=None,
    lr_schedule=None,
    config=None,
    progress="auto",
    on_epoch_end=None,
    checkpoint_every=1,
    eval_batch_size=1000,
):
    """Train ``model`` on ``data``, print the epoch table, draw the plots, return a metrics record.

    The one path of every training command: :func:`train`, :func:`print_table`,
    :func:`plot_run`, :func:`metrics_record`.

    Parameters
    ----------
    data : ((x_train, t_train), (x_test, t_test))
    class_names : sequence of str, optional
        Enables the prediction and confusion-matrix plots.
    eval_batch_size : int, default=1000
        Test images per forward pass in evaluation (a convolutional net's activations for
        1000 images take hundreds of megabytes).
    image_shape : tuple, optional
        (28, 28) for MNIST-like data: enables the first-layer weight images (for a
        convolutional net: its filters and one test image's feature maps).
    """
    (_, _), (x_test, t_test) = data
    before = softmax(model.predict(x_test[:1]))[0]
    trainer_options = {
        "progress": progress,
        "on_epoch_end": on_epoch_end,
        "checkpoint_every": checkpoint_every,
        "eval_batch_size": eval_batch_size,
    }
    history, seconds = train(args, model, data, lr_schedule, **trainer_options)
    model.to("cpu")  # fit left it in evaluation mode; the plots and tables read it on the host
    print_table(history, seconds, args.output_dir)
    plot_run(args.output_dir, model, history, x_test, t_test, before, class_names, image_shape, eval_batch_size)
    return metrics_record(args, config, history, seconds)


def train(args, model, data, lr_schedule=None, **trainer_options):
    """Print what is trained, then ``Trainer.fit`` with the options in ``args``; returns (history, seconds)."""
    (x, t), validation = data
    optimizer = OPTIMIZERS[args.optimizer](lr=args.learning_rate)
    print(
        f"{model}\noptimizer {optimizer}, batch size {args.batch_size}, {args.epochs} epochs, "
        f"{len(x):,} training samples\n"
    )
    trainer = Trainer(
        model,
        optimizer,
        batch_size=args.batch_size,
        seed=args.seed,
        lr_schedule=lr_schedule,
        output_dir=args.output_dir,
        device=args.device,
        settings=run_settings(args),
        **trainer_options,
    )
    start = time.perf_counter()
    history = trainer.fit(x, t, args.epochs, validation_data=validation, resume=args.resume)
    return history, time.perf_counter() - start


# Options a --resume may change: the length of the run, where and how it reports, the device.
MAY_CHANGE_ON_RESUME = {"epochs", "output_dir", "resume", "overwrite", "device", "data_dir", "print_every"}


def run_settings(args):
    """The command line's model, optimizer and data settings, as checkpoints record them.

    Every option of the command but those in :data:`MAY_CHANGE_ON_RESUME`, keyed by its
    option name (``--learning-rate``), plus the command's name.
    """
    settings = {"command": args.command}
    for key, value in sorted(vars(args).items()):
        if key not in MAY_CHANGE_ON_RESUME and key not in ("command", "func"):
            settings["--" + key.replace("_", "-")] = str(value) if isinstance(value, Path) else value
    return settings


def print_table(history, seconds, output_dir):
    """The epoch table (at most 25 rows), the final test accuracy and where the weights are."""
    rows = [(r["epoch"], r["loss"], r["train_accuracy"], r["test_accuracy"], r["seconds"]) for r in _rows(history)]
    print("\n" + format_table(["epoch", "loss", "train acc", "test acc", "seconds"], rows))
    final = history[-1]
    print(f"\ntest accuracy {final['test_accuracy']:.4f} after {len(history)} epochs ({seconds:.1f} s this run)")
    print(f"weights: {output_dir / 'model.npz'}")


def metrics_record(args, config, history, seconds):
    """The run's entry in metrics.json: the command's config plus the training options, history, final numbers."""
    config = {
        **(config or {}),
        "optimizer": args.optimizer,
        "learning_rate": args.learning_rate,
        "batch_size": args.batch_size,
        "epochs": args.epochs,
        "seed": args.seed,
        "device": args.device,
    }
    final = history[-1]
    return run_record(config, history, final["loss"], final["train_accuracy"], final["test_accuracy"], seconds=seconds)


def _rows(history, most=25):
    """At most ``most`` evenly spaced epochs of a long history, always with the last."""
    step = -(-len(history) // most)
    return [r for i, r in enumerate(history) if i % step == step - 1 or i == len(history) - 1]


def plot_run(output_dir, model, history, x_test, t_test, before, class_names, image_shape, eval_batch_size=1000):
    """History, first-layer weights (images only), prediction and confusion plots, as the data allows."""
    save_plot(plot_history, {"train": history}, output_dir / "history.png", x_key="epoch")
    first_W = next(iter(model.params.values()))
    if first_W.ndim == 4:  # a convolution's (FN, C, FH, FW): its filters, and one test image through the net
        save_plot(plot_conv_filters, first_W, output_dir / "filters.png")
        save_plot(plot_feature_maps, model, x_test[0], output_dir / "feature_maps.png")
    elif image_shape is not None:
        save_plot(plot_first_layer_weights, first_W, output_dir / "weights.png", image_shape=image_shape)
    if class_names is None:
        return
    step = eval_batch_size
    scores = np.concatenate([model.predict(x_test[i : i + step]) for i in range(0, len(x_test), step)])
    panels = {"before training": before, "after training": softmax(scores[0])}
    if image_shape is None:
        save_plot(plot_probabilities, panels, class_names, output_dir / "prediction.png")
    else:
        save_plot(
            plot_prediction,
            as_image(x_test[0], image_shape),
            panels,
            class_names,
            output_dir / "prediction.png",
            title=f"test image 0: {class_names[int(t_test[0])]}",
        )
    save_plot(plot_confusion_matrix, t_test, scores.argmax(axis=1), class_names, output_dir / "confusion.png")
