"""What a sweep leaves in its output folder: the seed-000 table, the best trial, plots."""

import csv
from io import StringIO
from pathlib import Path

from nnscratch import io
from nnscratch.sweep.runner import state_name
from nnscratch.sweep.space import HYPERPARAMETERS

COLUMNS = (*HYPERPARAMETERS, "train_accuracy", "val_accuracy")


def rows(study):
    """One dict per trial: number, state, the five hyperparameters, accuracies, seconds."""
    result = []
    for trial in study.get_trials(deepcopy=False):
        history = trial.user_attrs.get("history") or []
        result.append(
            {
                "trial": trial.number,
                "state": state_name(trial),
                **{name: trial.params.get(name) for name in HYPERPARAMETERS},
                "train_accuracy": trial.user_attrs.get("train_accuracy"),
                "val_accuracy": trial.value,
                "epochs_run": len(history) or (max(trial.intermediate_values) if trial.intermediate_values else 0),
                "seconds": trial.user_attrs.get("seconds"),
            }
        )
    return result


def write_reports(study, output_dir, wall_seconds=None):
    """Write results.csv, results.md, best.json and the plots; return the Markdown table."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    table = rows(study)
    _write_csv(output_dir / "results.csv", table)
    complete = sorted((r for r in table if r["state"] == "COMPLETE"), key=lambda r: -r["val_accuracy"])
    markdown = markdown_table(complete)
    if wall_seconds is not None:
        markdown += f"\n\n{len(complete)} completed trials; wall time of this run {wall_seconds:.0f} s.\n"
    io.write_text(output_dir / "results.md", markdown + "\n")
    if complete:
        best = study.best_trial
        io.write_json(
            output_dir / "best.json",
            {
                "trial": best.number,
                "params": best.params,
                "val_accuracy": best.value,
                "train_accuracy": best.user_attrs.get("train_accuracy"),
                "history": best.user_attrs.get("history"),
            },
        )
        _plots(output_dir, complete, best.user_attrs.get("history") or [])
    return markdown


def markdown_table(complete_rows):
    """The seed-000 table, best validation accuracy first."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---:|" * len(COLUMNS)]
    for row in complete_rows:
        lines.append("| " + " | ".join(_fmt(row[c]) for c in COLUMNS) + " |")
    return "\n".join(lines)


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.4g}" if value < 0.01 or value >= 10 else f"{value:.4f}".rstrip("0").rstrip(".")
    return "-" if value is None else str(value)


def _write_csv(path, table):
    buffer = StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["trial", "state", *COLUMNS, "epochs_run", "seconds"])
    writer.writeheader()
    writer.writerows(table)
    io.write_text(path, buffer.getvalue())


def _plots(output_dir, complete, best_history):
    from nnscratch.viz import plot_history, pyplot, save_figure

    try:
        plt = pyplot()
    except ModuleNotFoundError:  # plots need matplotlib; the tables do not
        return
    fig, axes = plt.subplots(1, len(HYPERPARAMETERS), figsize=(3.2 * len(HYPERPARAMETERS), 3.2), sharey=True)
    for ax, name in zip(axes, HYPERPARAMETERS, strict=True):
        ax.scatter([r[name] for r in complete], [r["val_accuracy"] for r in complete], s=18)
        if name in ("learning_rate", "reg") or (name == "hidden_size" and _spread(complete, name) > 10):
            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(plt.NullFormatter())  # minor labels of a short log axis collide
        ax.set(xlabel=name, ylim=(0, 1))
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("validation accuracy")
    save_figure(fig, output_dir / "val_accuracy_by_hyperparameter.png")
    if best_history:
        plot_history(
            {"best trial": best_history}, output_dir / "best_history.png", x_key="epoch", title="best trial: loss"
        )


def _spread(rows, name):
    values = [r[name] for r in rows if r[name]]
    return max(values) / min(values) if values else 1
