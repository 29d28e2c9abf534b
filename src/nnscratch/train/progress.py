"""Progress display: a tqdm bar on a terminal, one Keras-style line per epoch otherwise."""

import sys


def epoch_line(record, epochs):
    """``Epoch 3/10 - 1.2s - loss: 0.4210 - train_accuracy: 0.8512 - test_accuracy: 0.8433``."""
    parts = [f"Epoch {record['epoch']}/{epochs}", f"{record['seconds']:.1f}s", f"loss: {record['loss']:.4f}"]
    for key in ("train_accuracy", "test_accuracy"):
        if record.get(key) is not None:
            parts.append(f"{key}: {record[key]:.4f}")
    return " - ".join(parts)


class Progress:
    """Shows training progress.

    Parameters
    ----------
    mode : {"auto", "bar", "lines", "none"}, default="auto"
        "auto" draws a bar when standard error is a terminal, else prints lines.
    stream : file, default=sys.stdout
        Where epoch lines go.
    """

    def __init__(self, mode="auto", stream=None):
        if mode not in ("auto", "bar", "lines", "none"):
            raise ValueError(f"progress must be 'auto', 'bar', 'lines' or 'none', got {mode!r}")
        if mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "lines"
        self.mode, self.stream = mode, stream or sys.stdout

    def batches(self, iterable, total, epoch, epochs):
        """Wrap the batch iterator of one epoch (a bar in "bar" mode)."""
        if self.mode != "bar":
            return iterable
        from tqdm.auto import tqdm

        return tqdm(iterable, total=total, desc=f"Epoch {epoch}/{epochs}", leave=False, unit="batch")

    def epoch_end(self, record, epochs):
        if self.mode != "none":
            print(epoch_line(record, epochs), file=self.stream, flush=True)

    def message(self, text):
        if self.mode != "none":
            print(text, file=self.stream, flush=True)
