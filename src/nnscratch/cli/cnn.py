"""``--model cnn`` for the mnist and fashion commands: a small convolutional network.

The default, conv 32 3x3 - relu - pool 2 - conv 64 3x3 - relu - pool 2 - affine 128 - relu -
dropout 0.3 - affine 10 (``convnet``'s default), trained with Adam and a cosine schedule for
10 epochs, reached 0.9224 test accuracy on Fashion-MNIST in 5.6 minutes on 2 cores (0.92 first at epoch 8); the README
gives the measured times, and ``benchmarks/cnn_fashion.py`` makes the full run.
"""

from nnscratch.cli.common import positive_int, write_metrics
from nnscratch.cli.training import train_and_report
from nnscratch.models import convnet
from nnscratch.optim import CosineAnnealing

MODELS = ("mlp", "cnn")

# What --model cnn trains when no option says otherwise (mnist and fashion alike).
CNN_DEFAULTS = {
    "epochs": 10,
    "learning_rate": 1e-3,
    "batch_size": 100,
    "optimizer": "adam",
    "hidden_size": [128],
    "dropout": 0.3,
    "filters": [32, 64],
    "filter_size": 3,
}


def add_model_options(sub):
    """--model, and the convolution options that --model cnn reads."""
    sub.add_argument(
        "--model",
        choices=MODELS,
        default="mlp",
        help="mlp: fully connected (the command's usual network); cnn: conv "
        f"{CNN_DEFAULTS['filters'][0]} {CNN_DEFAULTS['filter_size']}x{CNN_DEFAULTS['filter_size']} - pool - conv "
        f"{CNN_DEFAULTS['filters'][1]} - pool - affine {CNN_DEFAULTS['hidden_size'][0]} - dropout "
        f"{CNN_DEFAULTS['dropout']} - affine 10, Adam, cosine schedule, {CNN_DEFAULTS['epochs']} epochs "
        "(default: mlp)",
    )
    sub.add_argument(
        "--filters",
        type=positive_int,
        nargs="+",
        default=None,
        help=f"cnn: filters per convolution block (default: {' '.join(map(str, CNN_DEFAULTS['filters']))})",
    )
    sub.add_argument(
        "--filter-size",
        type=positive_int,
        default=None,
        help=f"cnn: filter height and width (default: {CNN_DEFAULTS['filter_size']})",
    )


def fill_cnn_defaults(args):
    """Set every option left at None to the CNN's default; options given on the command line win."""
    for key, value in CNN_DEFAULTS.items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)


def check_mlp_only(args):
    """--filters and --filter-size describe convolutions: a clear error when --model mlp gets them."""
    for option in ("filters", "filter_size"):
        if getattr(args, option, None) is not None:
            flag = "--" + option.replace("_", "-")
            raise ValueError(f"{flag} is for --model cnn; got {flag} with --model {args.model}")


def cnn_model(args):
    """The CNN the options describe, its cosine schedule and its config for metrics.json."""
    model = convnet(
        (1, 28, 28),
        conv=[(n, args.filter_size) for n in args.filters],
        hidden_sizes=args.hidden_size,
        output_size=10,
        dropout=args.dropout,
        seed=args.seed,
    )
    config = {
        "model": "cnn",
        "filters": list(args.filters),
        "filter_size": args.filter_size,
        "hidden_sizes": list(args.hidden_size),
        "dropout": args.dropout,
    }
    return model, CosineAnnealing(args.epochs), config


def images(data):
    """((x, t), (x_test, t_test)) with x as (N, 1, 28, 28) images, whatever shape they came in."""
    (x, t), (x_test, t_test) = data
    return (x.reshape(-1, 1, 28, 28), t), (x_test.reshape(-1, 1, 28, 28), t_test)


def run_cnn(args, data, command, class_names):
    """Train the CNN on MNIST-format data, print and plot as every training command does; 0."""
    fill_cnn_defaults(args)
    model, schedule, config = cnn_model(args)
    # Evaluated 100 images at a time, like training: at 1000, conv 2's im2col rows alone (1000 * 14 * 14
    # rows of 32 * 3 * 3 values) take 226 MB, and the peak memory of the run 4.6x the float32 data set.
    record = train_and_report(
        args, model, images(data), class_names, (28, 28), schedule, config, eval_batch_size=args.batch_size
    )
    write_metrics(args.output_dir, command, {"cnn": record})
    return 0
