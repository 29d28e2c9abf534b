"""Entry point: ``nnscratch <command> [options]``; ``nnscratch <command> --help`` for each.

The door: whatever a user's command line or files can cause ends here as one
line on stderr, never a traceback. A bad value (in an option, or in a file an
option points to) exits 2; a run that failed on the way (a missing or damaged
file, no memory, divergence, no GPU) exits 1. ``NNSCRATCH_DEBUG=1`` lets the
exception through with its traceback, for finding a bug in nnscratch itself.
"""

import gzip
import lzma
import os
import sys
import tarfile
import zipfile
import zlib

from nnscratch.cli.commands import COMMANDS
from nnscratch.cli.common import ArgumentParser, add_common_options

DEBUG_VARIABLE = "NNSCRATCH_DEBUG"

# What a bad value leads to: exit code 2, "nnscratch <command>: error: ...". KeyError and
# TypeError come from hostile file contents (a JSON object without a key, a list where a table was).
BAD_VALUE = (ValueError, TypeError, KeyError, IndexError)
# What a failed run leads to: exit code 1, "nnscratch <command>: ...". Archive errors that are not
# OSError (tarfile, zipfile, zlib, lzma; EOFError from a truncated gzip) belong here.
FAILED_RUN = (
    OSError,
    RuntimeError,
    MemoryError,
    EOFError,
    tarfile.TarError,
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    gzip.BadGzipFile,
)


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
    """Run a command; a user's mistake prints one line on stderr and returns 2, a failed run returns 1."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if os.environ.get(DEBUG_VARIABLE, "") not in ("", "0"):
        return args.func(args)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"nnscratch {args.command}: interrupted", file=sys.stderr)
        return 130
    except BAD_VALUE as error:  # first: an error that is both (io.UnsupportedOperation) is a bad value
        print(f"nnscratch {args.command}: error: {one_line(error)}", file=sys.stderr)
        return 2
    except FAILED_RUN as error:
        print(f"nnscratch {args.command}: {one_line(error)}", file=sys.stderr)
        return 1


def one_line(error):
    """``error`` as one line: its message's lines joined, with its kind where the message alone is unclear.

    A ``KeyError``'s message is just the key and a ``MemoryError``'s may be
    empty, so those (and any message-less error) are prefixed with the kind.
    """
    message = " ".join(part.strip() for part in str(error).splitlines() if part.strip())
    if isinstance(error, MemoryError):
        return f"not enough memory ({message or 'no details'}); try smaller sizes"
    if isinstance(error, KeyError | IndexError) or not message:
        kind = type(error).__name__
        return f"{kind}: {message} (set {DEBUG_VARIABLE}=1 for the traceback)" if message else kind
    return message


if __name__ == "__main__":
    sys.exit(main())
