"""Entry point: ``nnscratch <command> [options]``; ``nnscratch <command> --help`` for each."""

import sys

from nnscratch.cli.commands import COMMANDS
from nnscratch.cli.common import ArgumentParser, add_common_options


def build_parser(commands=COMMANDS):
    """The parser with one subcommand per entry of ``commands`` (see ``nnscratch.cli.commands``)."""
    parser = ArgumentParser(
        prog="nnscratch",
        description="Neural networks from scratch on NumPy: the lectures' experiments, with plots and metrics.json.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="command", required=True)
    for command in commands:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        if command.runs_experiment:
            add_common_options(sub, command.name)
        if command.options is not None:
            command.options(sub)
        sub.set_defaults(func=command.run)
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
