"""Each function draws one figure and saves it as a PNG at ``path``.

matplotlib is imported inside the functions, with the file-only Agg backend,
so that the rest of the package works without it.
"""

from pathlib import Path

import numpy as np

from nnscratch import io


def pyplot():
    """``matplotlib.pyplot`` with the file-only Agg backend (raises ModuleNotFoundError without matplotlib)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path):
    """Lay out ``fig``, write it to ``path`` as a PNG (folders made as needed), close it; return the path."""
    try:
        fig.tight_layout()
        # Written whole and renamed (nnscratch.io): a full disk never leaves half a PNG in place.
        return io.atomic_write(Path(path), lambda handle: fig.savefig(handle, format="png", dpi=110))
    finally:
        pyplot().close(fig)


def plot_decision_boundary(predict, x, t, path, title="", resolution=300):
    """Colour the plane by ``argmax(predict(points))`` and scatter the data on top.

    Parameters
    ----------
    predict : callable, (M, 2) -> (M, C) scores
    x : ndarray, shape (N, 2)
    t : ndarray of int, shape (N,)
    """
    plt = pyplot()
    pad = 0.2
    (x0, y0), (x1, y1) = x.min(axis=0) - pad, x.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    regions = predict(grid).argmax(axis=1).reshape(gx.shape)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.contourf(gx, gy, regions, levels=np.arange(t.max() + 2) - 0.5, cmap="Spectral", alpha=0.35)
    ax.scatter(x[:, 0], x[:, 1], c=t, s=18, cmap="Spectral", edgecolors="k", linewidths=0.4)
    ax.set(title=title, xlim=(x0, x1), ylim=(y0, y1), xlabel="x0", ylabel="x1")
    return save_figure(fig, path)


def plot_history(histories, path, x_key="iteration", title=""):
    """Loss (left) and accuracy (right, y from 0 to 1) of one or more runs.

    Parameters
    ----------
    histories : dict[str, list of dict]
        Run name -> records with ``x_key``, ``loss`` and any of
        ``train_accuracy`` / ``test_accuracy``.
    """
    plt = pyplot()
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    for name, history in histories.items():
        steps = [record[x_key] for record in history]
        ax_loss.plot(steps, [record["loss"] for record in history], label=name)
        for key, style in (("train_accuracy", "-"), ("test_accuracy", "--")):
            values = [record.get(key) for record in history]
            if any(v is not None for v in values):
                split = key.split("_")[0]
                ax_acc.plot(steps, values, style, label=split if len(histories) == 1 else f"{name} {split}")
    ax_loss.set(xlabel=x_key, ylabel="loss", title=title or "loss")
    ax_acc.set(xlabel=x_key, ylabel="accuracy", ylim=(0, 1), title="accuracy")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
        ax.legend()
    return save_figure(fig, path)


def plot_descent_paths(runs, f, path):
    """Gradient-descent paths on the contours of ``f(x0, x1)``.

    Parameters
    ----------
    runs : dict[str, ndarray of shape (S, 2)]
        Label -> the points visited.
    f : callable, ndarray (2,) -> float
    """
    plt = pyplot()
    gx, gy = np.meshgrid(np.linspace(-4.5, 4.5, 200), np.linspace(-4.5, 4.5, 200))
    gz = np.vectorize(lambda a, b: f(np.array([a, b])))(gx, gy)
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.contour(gx, gy, gz, levels=15, colors="0.8", linewidths=0.8)
    for label, points in runs.items():
        clipped = np.clip(points, -4.5, 4.5)
        ax.plot(clipped[:, 0], clipped[:, 1], "o-", markersize=3, label=label)
    ax.plot(0, 0, "k+", markersize=12)
    ax.set(xlabel="x0", ylabel="x1", title="gradient descent on x0^2 + x1^2", xlim=(-4.5, 4.5), ylim=(-4.5, 4.5))
    ax.legend()
    return save_figure(fig, path)


def plot_tangent(f, slopes, path, x_range=(0.0, 20.0)):
    """``f`` with its tangent lines ``f(a) + slope * (x - a)``.

    Parameters
    ----------
    slopes : dict[float, float]
        Point a -> the numerical derivative at a.
    """
    plt = pyplot()
    xs = np.linspace(*x_range, 200)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(xs, f(xs), label="f(x) = 0.01x^2 + 0.1x")
    for a, slope in slopes.items():
        ax.plot(xs, f(a) + slope * (xs - a), "--", label=f"tangent at x={a:g} (slope {slope:.4f})")
    ax.set(xlabel="x", ylabel="f(x)", title="numerical derivative, h = 1e-4")
    ax.grid(alpha=0.3)
    ax.legend()
    return save_figure(fig, path)


def plot_probabilities(panels, class_names, path):
    """One bar chart of class probabilities per panel, side by side.

    Parameters
    ----------
    panels : dict[str, ndarray of shape (C,)]
        Title -> probabilities.
    class_names : sequence of str, length C
    """
    plt = pyplot()
    fig, axes = plt.subplots(1, len(panels), figsize=(4 * len(panels), 3.5), squeeze=False)
    for ax, (title, probs) in zip(axes[0], panels.items(), strict=True):
        bars = ax.bar(class_names, probs, color="tab:blue")
        ax.bar_label(bars, labels=[f"{p:.4f}" for p in probs])
        ax.set(ylim=(0, 1.1), title=title, ylabel="probability")
    return save_figure(fig, path)
