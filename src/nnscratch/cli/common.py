"""What every command shares: options, tables, metrics.json, plots."""

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nnscratch import io
from nnscratch.validation import NONNEGATIVE, POSITIVE, UNIT_LEFT_CLOSED, Interval

DECAY = Interval(0, 1, closed="right")


@dataclass(frozen=True)
class Command:
    """One subcommand of ``nnscratch``: registered by one entry in ``nnscratch.cli.commands.COMMANDS``.

    Attributes
    ----------
    name : str
        What the user types: ``nnscratch <name>``.
    run : callable (argparse.Namespace) -> int
        Runs the command; returns the exit status.
    help : str
        One line for ``nnscratch --help`` and the command's own ``--help``.
    options : callable (argparse.ArgumentParser) -> None, optional
        Adds the command's own options.
    runs_experiment : bool, default=True
        An experiment gets ``--seed`` and ``--output-dir`` (see :func:`add_common_options`);
        a tool that writes no run (``check``, ``lectures``, ``playground``) does not.
    """

    name: str
    run: Callable
    help: str
    options: Callable | None = None
    runs_experiment: bool = True


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a user's mistake is one line on stderr and exit code 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def positive_int(text):
    """argparse type: an integer > 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def positive_float(text):
    """argparse type: a finite number > 0."""
    return _float_in(text, POSITIVE)


def nonnegative_float(text):
    """argparse type: a finite number >= 0."""
    return _float_in(text, NONNEGATIVE)


def finite_float(text):
    """argparse type: any finite number (nan and inf are refused here, not found in metrics.json)."""
    return _float(text)


def unit_float(text):
    """argparse type: a number in [0, 1), e.g. a dropout ratio."""
    return _float_in(text, UNIT_LEFT_CLOSED)


def decay_factor(text):
    """argparse type: a per-epoch learning-rate factor in (0, 1]."""
    return _float_in(text, DECAY)


def seed_int(text):
    """argparse type: a random seed, an integer >= 0 (what ``numpy.random.default_rng`` takes)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}")
    return value


def _float_in(text, interval):
    value = _float(text)
    if value not in interval:
        raise argparse.ArgumentTypeError(f"expected a number {interval}, got {text!r}")
    return value


def _float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def add_common_options(parser, name, seed=0):
    """``--seed`` and ``--output-dir`` (default ``runs/<name>``)."""
    parser.add_argument("--seed", type=seed_int, default=seed, help=f"random seed (default: {seed})")
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=Path("runs") / name,
        help=f"where plots and metrics.json go (default: runs/{name})",
    )


def run_record(config, history=(), loss=None, train_accuracy=None, test_accuracy=None, **results):
    """One entry of ``metrics.json``'s ``runs``: config, history and final numbers."""
    final = {"loss": loss, "train_accuracy": train_accuracy, "test_accuracy": test_accuracy, **results}
    return {"config": config, "history": list(history), "final": final}


def write_metrics(output_dir, experiment, runs):
    """Write ``{"experiment": ..., "runs": {...}}`` to ``output_dir/metrics.json``."""
    path = io.write_json(Path(output_dir) / "metrics.json", {"experiment": experiment, "runs": runs})
    print(f"metrics: {path}")
    return path


def save_plot(plot, *args, **kwargs):
    """Call a plotting function; without matplotlib, say how to get plots instead of failing."""
    try:
        path = plot(*args, **kwargs)
    except ModuleNotFoundError as error:
        if error.name != "matplotlib":
            raise
        print("note: plots skipped; install matplotlib (pip install 'nnscratch[plot]')", file=sys.stderr)
        return None
    print(f"plot: {path}")
    return path


def format_table(headers, rows):
    """Rows of values as an aligned text table (numbers right-aligned)."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _cell(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1e6 else f"{value:.4g}"
    return str(value)
