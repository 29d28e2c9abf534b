"""Entry point: ``nnscratch <command> [options]``; ``nnscratch <command> --help`` for each."""

import sys

from nnscratch.cli import experiments, lectures
from nnscratch.cli.common import (
    ArgumentParser,
    add_common_options,
    nonnegative_float,
    positive_float,
    positive_int,
)
from nnscratch.cli.lecture_notebooks import add_lectures_command
from nnscratch.cli.spiral import spiral
from nnscratch.cli.sweep import add_sweep_command


def build_parser():
    """The parser with one subcommand per experiment."""
    parser = ArgumentParser(
        prog="nnscratch",
        description="Neural networks from scratch on NumPy: the lectures' experiments, with plots and metrics.json.",
    )
    commands = parser.add_subparsers(dest="command", metavar="command", required=True)

    def command(name, func, help_text):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        add_common_options(sub, name)
        sub.set_defaults(func=func)
        return sub

    command("numdiff", lectures.numdiff, "numerical derivative: h = 1e-4 central vs h = 1e-50 forward")
    sub = command("descent", lectures.descent, "gradient descent on x0^2 + x1^2, with lr 10 and 1e-10 too")
    sub.add_argument("--learning-rate", type=positive_float, default=0.1, help="(default: 0.1)")
    sub.add_argument("--steps", type=positive_int, default=20, help="(default: 20)")
    sub = command("graph", lectures.graph, "backprop by hand on four computational graphs")
    sub.add_argument("--x", type=float, default=1.0, help="x for the chain-rule example (default: 1)")
    command("gates", lectures.gates, "perceptron truth tables: AND, NAND, OR and XOR = AND(NAND, OR)")
    command("forward", lectures.forward_pass, "Iris single-layer forward pass and the softmax example")
    sub = command("gradcheck", lectures.gradcheck, "numerical vs backprop gradients of a TwoLayerNet")
    sub.add_argument("--input-size", type=positive_int, default=4, help="(default: 4)")
    sub.add_argument("--hidden-size", type=positive_int, default=10, help="(default: 10)")
    sub.add_argument("--classes", type=positive_int, default=3, help="(default: 3)")
    sub.add_argument("--samples", type=positive_int, default=3, help="(default: 3)")
    sub.add_argument("--activation", choices=["relu", "sigmoid", "tanh", "leaky_relu", "elu"], default="relu")
    sub.add_argument("--weight-init-std", type=positive_float, default=0.01, help="(default: 0.01)")
    sub = command("spiral", spiral, "softmax classifier and two-layer ReLU net on the spiral data")
    sub.add_argument("--hidden-size", type=positive_int, default=100, help="two-layer net (default: 100)")
    sub.add_argument("--learning-rate", type=positive_float, default=1.0, help="both models (default: 1.0)")
    sub.add_argument("--reg", type=nonnegative_float, default=1e-3, help="L2 strength, both (default: 1e-3)")
    sub.add_argument("--iterations", type=positive_int, default=10_000, help="two-layer net (default: 10000)")
    sub.add_argument("--softmax-iterations", type=positive_int, default=200, help="softmax (default: 200)")
    experiments.register(command)
    add_sweep_command(command)
    add_lectures_command(commands)
    return parser


def main(argv=None):
    """Run a command; a user's mistake prints one line on stderr and returns 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ValueError as error:  # a bad value in the options or the data they point to
        print(f"nnscratch {args.command}: error: {error}", file=sys.stderr)
        return 2
    except (OSError, RuntimeError) as error:  # missing data, failed download, divergence, no GPU
        print(f"nnscratch {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
