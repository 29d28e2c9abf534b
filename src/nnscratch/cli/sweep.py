"""``nnscratch sweep``: seed 000's hyperparameter table, produced by Optuna."""

import time
from pathlib import Path

from nnscratch.cli.common import positive_int


def sweep_options(sub):
    sub.add_argument(
        "--dataset",
        choices=["spiral", "fashion", "mnist", "cifar10", "digits"],
        default="spiral",
        help="(default: spiral)",
    )
    sub.add_argument(
        "--trials",
        type=positive_int,
        default=20,
        help="finished trials the study should hold; earlier ones count (default: 20)",
    )
    sub.add_argument("--jobs", type=positive_int, default=2, help="worker processes (default: 2)")
    sub.add_argument("--sampler", choices=["grid", "random", "tpe"], default="tpe", help="(default: tpe)")
    sub.add_argument(
        "--storage",
        default=None,
        help="database URL shared by several machines, e.g. postgresql://user:password@host/db "
        "(postgresql:// uses psycopg 3, installed by the sweep extra; the password is never printed) "
        "(default: a journal file in OUTPUT_DIR)",
    )
    sub.add_argument(
        "--study-name",
        default=None,
        help="the study's name in its storage; a study keeps its search space (default: nnscratch-DATASET)",
    )
    sub.add_argument("--space", type=Path, default=None, help="TOML (or .json) file with the search space")
    sub.add_argument("--data-dir", type=Path, default=None, help="folder with the data set's files")


def sweep(args):
    """Run the study with worker processes, then write the table, best.json and plots."""
    from nnscratch.sweep import report, runner, space, storage

    try:
        import optuna  # noqa: F401
    except ImportError:
        raise RuntimeError("nnscratch sweep needs Optuna: pip install 'nnscratch[sweep]'") from None
    config = _config(args, runner, space)
    from nnscratch.sweep.objective import load_split

    load_split(args.dataset, config["data_dir"])  # missing data: one clear error here, not one per worker
    where = storage.mask(args.storage) if args.storage else args.output_dir / storage.JOURNAL
    print(
        f"sweep {config['study_name']}: {args.trials} trials, up to {args.jobs} workers, "
        f"{args.sampler} sampler, storage {where}"
    )
    start = time.perf_counter()
    try:
        study, short = runner.run(config), None
    except runner.SweepIncompleteError as incomplete:  # the table of what did run is still written
        study, short = incomplete.study, incomplete
    except Exception as error:  # a database that went away mid-sweep: one line, the password masked
        line = storage.failure(error, args.storage)
        if line is None:
            raise
        raise RuntimeError(line) from None
    table = report.write_reports(study, args.output_dir, wall_seconds=time.perf_counter() - start)
    print("\n" + table)
    print(
        f"\nresults: {args.output_dir / 'results.md'}, {args.output_dir / 'results.csv'}, "
        f"{args.output_dir / 'best.json'}"
    )
    if short is not None:
        raise RuntimeError(str(short))  # exit 1, one line
    return 0


def _config(args, runner, space):
    """What the coordinator and every worker are given; the search space checked whole, so that
    a value no trial could use is exit 2 naming it, before any worker starts."""
    config = {
        "dataset": args.dataset,
        "trials": args.trials,
        "jobs": args.jobs,
        "sampler": args.sampler,
        "storage": args.storage,
        "study_name": args.study_name or runner.study_name(args.dataset),
        "output_dir": str(args.output_dir),
        "data_dir": None if args.data_dir is None else str(args.data_dir),
        "seed": args.seed,
        "space": space.resolve(args.dataset, space.load_space(args.space) if args.space else None),
    }
    if args.sampler == "grid":
        space.grid_of(config["space"])
    return config
