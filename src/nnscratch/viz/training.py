"""Figures for trained image classifiers: weights, one prediction, the confusion matrix."""

import numpy as np

from nnscratch.viz.plots import pyplot, save_figure


def as_image(values, image_shape):
    """Reshape a flat vector for ``imshow``: (H, W) as is, (3, H, W) to (H, W, 3) scaled to [0, 1]."""
    image = np.asarray(values).reshape(image_shape)
    if image.ndim == 3:
        image = image.transpose(1, 2, 0)
        low, high = image.min(), image.max()
        image = (image - low) / (high - low if high > low else 1.0)
    return image


def plot_first_layer_weights(W, path, image_shape=(28, 28), count=16):
    """The first ``count`` columns of ``W`` (D, H) as images: what each hidden unit looks at.

    Parameters
    ----------
    W : ndarray, shape (D, H) with D = prod(image_shape)
    image_shape : tuple, default=(28, 28)
    """
    plt = pyplot()
    count = min(count, W.shape[1])
    cols = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(1.6 * cols, 1.6 * rows), squeeze=False)
    for unit, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if unit < count:
            weights = as_image(W[:, unit], image_shape)
            limit = np.abs(weights).max() or 1.0
            ax.imshow(weights, cmap="coolwarm", vmin=-limit, vmax=limit)
            ax.set_title(f"unit {unit}", fontsize=8)
    fig.suptitle("first-layer weights (red +, blue -)")
    return save_figure(fig, path)


def plot_prediction(image, panels, class_names, path, title=""):
    """One image beside bar charts of its predicted probabilities.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, 3), see :func:`as_image`
    panels : dict[str, ndarray of shape (C,)]
        Title -> probabilities, e.g. before and after training.
    """
    plt = pyplot()
    fig, axes = plt.subplots(
        1,
        1 + len(panels),
        figsize=(3 + 4.5 * len(panels), 3.2),
        gridspec_kw={"width_ratios": [1] + [1.6] * len(panels)},
    )
    axes[0].imshow(image, cmap="gray_r" if image.ndim == 2 else None)
    axes[0].set(title=title, xticks=[], yticks=[])
    for ax, (name, probs) in zip(axes[1:], panels.items(), strict=True):
        bars = ax.barh(range(len(class_names)), probs, color="tab:blue")
        bars[int(np.argmax(probs))].set_color("tab:orange")
        ax.set(yticks=range(len(class_names)), yticklabels=class_names, xlim=(0, 1), title=name)
        ax.invert_yaxis()
        for i, p in enumerate(probs):
            ax.text(min(p, 0.8) + 0.02, i, f"{p:.3f}", va="center", fontsize=7)
    return save_figure(fig, path)


def plot_confusion_matrix(t_true, t_pred, class_names, path):
    """Counts of (true class, predicted class) as a heat map; the diagonal is right."""
    plt = pyplot()
    n = len(class_names)
    counts = np.zeros((n, n), dtype=np.int64)
    np.add.at(counts, (t_true, t_pred), 1)
    fig, ax = plt.subplots(figsize=(1.0 + 0.55 * n, 0.8 + 0.5 * n))
    ax.imshow(counts, cmap="Blues")
    for i in range(n):
        for j in range(n):
            ax.text(
                j,
                i,
                counts[i, j],
                ha="center",
                va="center",
                fontsize=7,
                color="white" if counts[i, j] > counts.max() / 2 else "black",
            )
    ax.set(
        xticks=range(n),
        yticks=range(n),
        xlabel="predicted",
        ylabel="true",
        title=f"confusion matrix (accuracy {np.trace(counts) / counts.sum():.4f})",
    )
    ax.set_xticklabels(class_names, rotation=45, ha="right")
    ax.set_yticklabels(class_names)
    return save_figure(fig, path)
