"""The full ``nnscratch fashion --model cnn`` run: wall time, test accuracy, peak memory.

    python benchmarks/cnn_fashion.py [--output-dir runs/cnn_fashion] [extra options for the command]

Runs the command in this process with its defaults (plus any options given), then prints one
JSON line: the wall time of the whole command (loading, training, evaluation, plots), the
training seconds, the final test accuracy, the first epoch whose test accuracy reached 0.92
and the seconds of training until then, and the process's peak resident memory against the
float32 data set plus the model (the goal: below 3x).
"""

import json
import sys
import time
from pathlib import Path

from memory import peak_rss

from nnscratch import Sequential
from nnscratch.cli.main import main as nnscratch_main

TARGET = 0.92


def main(argv):
    out = Path("runs/cnn_fashion")
    if "--output-dir" in argv:
        out = Path(argv[argv.index("--output-dir") + 1])
    else:
        argv = [*argv, "--output-dir", str(out)]
    start = time.perf_counter()
    code = nnscratch_main(["fashion", "--model", "cnn", *argv])
    wall = time.perf_counter() - start
    if code != 0:
        sys.exit(code)
    (record,) = json.loads((out / "metrics.json").read_text())["runs"].values()
    history = record["history"]
    hit = next((r for r in history if r["test_accuracy"] >= TARGET), None)
    to_target = None if hit is None else round(sum(r["seconds"] for r in history[: hit["epoch"]]), 1)
    peak = peak_rss()  # read first: nothing after training may raise it
    data_bytes = 70_000 * (784 * 4 + 8)  # what load_fashion_mnist returns: float32 images, int64 labels
    model_bytes = sum(p.nbytes for p in Sequential.from_file(out / "model.npz").params.values())
    print(
        json.dumps(
            {
                "wall_seconds": round(wall, 1),
                "train_seconds": round(record["final"].get("seconds") or sum(r["seconds"] for r in history), 1),
                "test_accuracy": record["final"]["test_accuracy"],
                "epochs": len(history),
                "first_epoch_at_target": None if hit is None else hit["epoch"],
                "seconds_to_target": to_target,
                "peak_rss_mib": round(peak / 2**20),
                "data_plus_model_mib": round((data_bytes + model_bytes) / 2**20),
                "memory_ratio": round(peak / (data_bytes + model_bytes), 2),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
