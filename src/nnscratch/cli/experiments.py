"""The training experiments: mnist, fashion, iris, cifar10, digits, xor."""

import numpy as np

from nnscratch.backend import to_numpy
from nnscratch.cli.cnn import add_model_options, check_mlp_only, run_cnn
from nnscratch.cli.common import (
    decay_factor,
    format_table,
    nonnegative_float,
    positive_int,
    save_plot,
    unit_float,
    write_metrics,
)
from nnscratch.cli.training import add_training_options, single_hidden_size, train_and_report
from nnscratch.data import (
    cifar10,
    load_cifar10,
    load_digits,
    load_fashion_mnist,
    load_iris,
    load_mnist,
    make_xor,
    stratified_split,
)
from nnscratch.data.mnist import FASHION_CLASSES
from nnscratch.models import SoftmaxClassifier, TwoLayerNet, mlp
from nnscratch.optim import CosineAnnealing, ExponentialDecay
from nnscratch.viz import plot_decision_boundary

DIGITS = tuple(str(d) for d in range(10))


def seed001_net(args, input_size=784):
    """Seed 001's TwoLayerNet: 784-50-10, sigmoid, weights 0.01 * randn, float32."""
    return TwoLayerNet(input_size, single_hidden_size(args), 10, activation="sigmoid", seed=args.seed, dtype=np.float32)


# Seed 001's run, what `nnscratch mnist` trains without --model cnn.
MNIST_DEFAULTS = {"epochs": 17, "learning_rate": 0.1, "batch_size": 100, "optimizer": "sgd", "hidden_size": [50]}


def mnist(args):
    """Seed 001: 784-50-10 sigmoid, SGD lr 0.1, batch 100, about 10,000 iterations (17 epochs); or --model cnn."""
    data = load_mnist(data_dir=args.data_dir)
    if args.model == "cnn":
        return run_cnn(args, data, "mnist", DIGITS)
    check_mlp_only(args)
    for key, value in MNIST_DEFAULTS.items():
        if getattr(args, key) is None:  # options given on the command line win
            setattr(args, key, value)
    record = train_and_report(args, seed001_net(args), data, DIGITS, (28, 28), config={"model": "seed001"})
    write_metrics(args.output_dir, "mnist", {"seed001": record})
    return 0


FASHION_CONFIGS = {
    # The best model we train in <= 5 minutes on 2 CPU cores (see the README for its numbers).
    "best": {
        "epochs": 30,
        "learning_rate": 1e-3,
        "batch_size": 128,
        "optimizer": "adam",
        "hidden_size": [1024, 512],
        "dropout": 0.3,
    },
    # Seed 001's MNIST run, unchanged, on Fashion-MNIST.
    "seed001": {
        "epochs": 17,
        "learning_rate": 0.1,
        "batch_size": 100,
        "optimizer": "sgd",
        "hidden_size": [50],
        "dropout": 0.0,
    },
}


def fashion(args):
    """Fashion-MNIST: the best model for about 5 minutes on 2 cores, ``--config seed001``, or ``--model cnn``."""
    if args.model == "cnn":
        if args.config is not None:
            raise ValueError(f"--config describes an mlp; got --config {args.config} with --model cnn")
        return run_cnn(args, load_fashion_mnist(data_dir=args.data_dir), "fashion", FASHION_CLASSES)
    check_mlp_only(args)
    args.config = args.config or "best"
    for key, value in FASHION_CONFIGS[args.config].items():
        if getattr(args, key) is None:  # options given on the command line win
            setattr(args, key, value)
    data = load_fashion_mnist(data_dir=args.data_dir)
    if args.config == "seed001":
        model, schedule = seed001_net(args), None
    else:
        model = mlp(784, args.hidden_size, 10, dropout=args.dropout, seed=args.seed)
        schedule = CosineAnnealing(args.epochs)
    config = {"model": args.config, "hidden_sizes": list(args.hidden_size), "dropout": args.dropout}
    record = train_and_report(args, model, data, FASHION_CLASSES, (28, 28), schedule, config)
    write_metrics(args.output_dir, "fashion", {args.config: record})
    return 0


def add_fashion_options(sub):
    best, seed001 = FASHION_CONFIGS["best"], FASHION_CONFIGS["seed001"]
    sub.add_argument(
        "--config",
        choices=sorted(FASHION_CONFIGS),
        default=None,
        help=f"best: 784-{'-'.join(map(str, best['hidden_size']))}-10 ReLU, dropout {best['dropout']}, Adam, cosine "
        f"schedule, {best['epochs']} epochs; seed001: the MNIST lecture's 784-50-10 sigmoid, SGD lr "
        f"{seed001['learning_rate']}, batch {seed001['batch_size']}, {seed001['epochs']} epochs (default: best; "
        "--model mlp only)",
    )
    sub.add_argument("--dropout", type=unit_float, default=None, help="dropout ratio (default: set by --config)")


def iris(args):
    """Seed 002: a 4x3 softmax layer trained full-batch; weights printed every 1000 epochs."""
    x, t = load_iris()
    train, test = stratified_split(t, test_fraction=0.2, seed=args.seed)
    model = SoftmaxClassifier(4, 3, seed=args.seed)
    per_epoch = -(-len(train) // args.batch_size)
    print(f"{len(train)} training rows, batch size {args.batch_size}: {per_epoch} iteration(s) per epoch\n")

    def print_weights(record, trainer):
        if record["epoch"] % args.print_every == 0:
            print(
                f"epoch {record['epoch']}: loss {record['loss']:.4f}, train accuracy "
                f"{record['train_accuracy']:.4f}, held-out accuracy {record['test_accuracy']:.4f}\nW =\n"
                f"{np.array2string(to_numpy(model.params['W']), precision=6)}\n"
            )

    record = train_and_report(
        args,
        model,
        ((x[train], t[train]), (x[test], t[test])),
        ("setosa", "versicolor", "virginica"),
        config={"model": "softmax 4x3"},
        progress="none",
        on_epoch_end=print_weights,
        checkpoint_every=args.print_every,
    )
    write_metrics(args.output_dir, "iris", {"softmax": record})
    return 0


def cifar10_command(args):
    """Seed 000's two-layer net on CIFAR-10: mean-subtracted pixels, SGD with per-epoch lr_decay."""
    (x, t), (x_test, t_test) = load_cifar10(data_dir=args.data_dir, normalize=False, flatten=True)
    mean_image = x.mean(axis=0)
    x -= mean_image
    x_test -= mean_image
    model = TwoLayerNet(
        3072, single_hidden_size(args), 10, weight_init_std=1e-4, reg=args.reg, seed=args.seed, dtype=np.float32
    )
    config = {"model": "seed000", "hidden_size": args.hidden_size[0], "lr_decay": args.lr_decay, "reg": args.reg}
    record = train_and_report(
        args,
        model,
        ((x, t), (x_test, t_test)),
        cifar10.CLASSES,
        (3, 32, 32),
        lr_schedule=ExponentialDecay(args.lr_decay),
        config=config,
    )
    write_metrics(args.output_dir, "cifar10", {"seed000": record})
    return 0


def add_cifar10_options(sub):
    sub.add_argument(
        "--lr-decay", type=decay_factor, default=0.95, help="per-epoch learning-rate factor (default: 0.95)"
    )
    sub.add_argument("--reg", type=nonnegative_float, default=1e-3, help="L2 strength (default: 1e-3)")


def digits(args):
    """scikit-learn's 8x8 digits with an MLP (goal: test accuracy >= 0.97)."""
    data = load_digits(seed=args.seed)
    model = mlp(64, args.hidden_size, 10, seed=args.seed)
    record = train_and_report(args, model, data, DIGITS, (8, 8), config={"hidden_sizes": list(args.hidden_size)})
    write_metrics(args.output_dir, "digits", {"mlp": record})
    return 0


def xor(args):
    """A two-layer net learns XOR, which no single perceptron can; its decision boundary is plotted."""
    x, t = make_xor()
    model = TwoLayerNet(2, single_hidden_size(args), 2, weight_init_std=1.0, activation="tanh", seed=args.seed)
    record = train_and_report(
        args, model, ((x, t), (x, t)), ("0", "1"), config={"model": "2-H-2 tanh"}, progress="none", checkpoint_every=500
    )
    predictions = model.predict(x).argmax(axis=1)
    print(
        "\n"
        + format_table(
            ["x1", "x2", "XOR", "net"],
            [(int(a), int(b), int(c), int(p)) for (a, b), c, p in zip(x, t, predictions, strict=True)],
        )
    )
    save_plot(
        plot_decision_boundary,
        model.predict,
        x,
        t,
        args.output_dir / "xor_boundary.png",
        title="two-layer net on XOR",
        resolution=200,
    )
    write_metrics(args.output_dir, "xor", {"two_layer": record})
    return 0


def mnist_options(sub):
    add_training_options(
        sub, epochs=None, learning_rate=None, batch_size=None, optimizer=None, hidden_size=[], set_by="--model"
    )
    add_model_options(sub)


def fashion_options(sub):
    add_training_options(
        sub,
        epochs=None,
        learning_rate=None,
        batch_size=None,
        optimizer=None,
        hidden_size=[],
        set_by="--config, --model",
    )
    add_fashion_options(sub)
    add_model_options(sub)


def iris_options(sub):
    add_training_options(sub, epochs=5000, learning_rate=0.01, batch_size=120, data=False)
    sub.add_argument("--print-every", type=positive_int, default=1000, help="epochs between weight printouts")


def cifar10_options(sub):
    add_training_options(sub, epochs=20, learning_rate=1e-4, batch_size=200, hidden_size=[3000])
    add_cifar10_options(sub)


def digits_options(sub):
    add_training_options(
        sub, epochs=100, learning_rate=1e-3, batch_size=32, optimizer="adam", hidden_size=[256, 128], data=False
    )


def xor_options(sub):
    add_training_options(sub, epochs=2000, learning_rate=0.5, batch_size=4, hidden_size=[4], data=False)
