"""``nnscratch check FILE``: a learner's own layers, checked against the library's.

Exit codes: 0 when nothing failed (warnings allowed unless ``--strict``),
1 when a check failed or errored, 2 when FILE cannot be loaded or holds no
recognised name (``main`` turns the CheckError, a ValueError, into 2).
"""

import argparse
import json

from nnscratch.checker import DEFAULT_TIMEOUT, check
from nnscratch.checker.messages import LANGUAGES
from nnscratch.cli.common import positive_float

FORMATS = ("table", "json", "junit")


def names_list(text):
    """argparse type: ``Affine,Relu`` -> {"Affine", "Relu"}."""
    names = {name.strip() for name in text.split(",") if name.strip()}
    if not names:
        raise argparse.ArgumentTypeError(f"expected names separated by commas, got {text!r}")
    return names


HELP = "check your own layers, functions, optimizers and TwoLayerNet against the library's"


def check_options(sub):
    """The options of ``nnscratch check``."""
    sub.add_argument("file", metavar="FILE", help="a .py file, or a module name package.module")
    sub.add_argument("--only", type=names_list, default=None, metavar="NAME,...", help="check only these names")
    sub.add_argument("--lang", choices=LANGUAGES, default=None, help="message language (default: from the locale)")
    sub.add_argument("--format", choices=FORMATS, default="table", help="(default: table)")
    sub.add_argument("--strict", action="store_true", help="a warning fails too (exit code 1)")
    sub.add_argument(
        "--timeout",
        type=positive_float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds each object's checks may run (default: {DEFAULT_TIMEOUT:g})",
    )


def run_check(args):
    """Check ``args.file`` and print the report in ``args.format``; the exit code says whether it passed."""
    report = check(args.file, only=args.only, lang=args.lang, timeout=args.timeout)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif args.format == "junit":
        print(report.to_junit())
    else:
        print(report)
    return report.exit_code(args.strict)
