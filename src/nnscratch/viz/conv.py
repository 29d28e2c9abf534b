"""Figures for convolutional networks: the first layer's filters, one image's feature maps."""

import numpy as np

from nnscratch.backend import to_numpy
from nnscratch.viz.plots import pyplot, save_figure


def plot_conv_filters(W, path, count=32):
    """The first ``count`` filters of a convolution as small images (red +, blue -).

    Parameters
    ----------
    W : ndarray, shape (FN, C, FH, FW)
        A ``Convolution``'s weights. One channel is drawn on a red-blue scale centred at 0;
        three channels (colour images) are drawn as RGB, each filter scaled to [0, 1].
    path : str or Path
    count : int, default=32
    """
    W = to_numpy(W)
    if W.ndim != 4:
        raise ValueError(f"W must be a convolution's weights of shape (FN, C, FH, FW), got shape {W.shape}")
    plt = pyplot()
    count = min(count, W.shape[0])
    cols = min(8, count)
    rows = -(-count // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(1.2 * cols, 1.3 * rows + 0.4), squeeze=False)
    for index, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if index >= count:
            continue
        if W.shape[1] == 3:
            image = W[index].transpose(1, 2, 0)
            low, high = image.min(), image.max()
            ax.imshow((image - low) / (high - low if high > low else 1.0))
        else:
            image = W[index].mean(axis=0)  # several input channels: their mean, one picture per filter
            limit = np.abs(image).max() or 1.0
            ax.imshow(image, cmap="coolwarm", vmin=-limit, vmax=limit)
        ax.set_title(f"{index}", fontsize=7)
    fig.suptitle(f"first convolution's filters ({W.shape[2]}x{W.shape[3]}, red +, blue -)")
    return save_figure(fig, path)


def feature_maps(model, image):
    """The output of every ``Convolution`` in ``model.layers`` for one image, in evaluation mode.

    Parameters
    ----------
    model : Network
        A model whose ``layers`` include ``Convolution`` layers (``convnet``, ``SimpleConvNet``).
    image : ndarray, shape (C, H, W)

    Returns
    -------
    list of (str, ndarray of shape (FN, OH, OW))
        The layer's label (``"layer 0: Convolution"``) and its maps, input side first.
    """
    names = [type(layer).__name__ for layer in model.layers]
    if "Convolution" not in names:
        raise ValueError(f"the model has no Convolution layer; its layers are {names}")
    x = np.asarray(image, dtype=model.dtype)[None]
    maps = []
    with model.mode(training=False):
        for index, layer in enumerate(model.layers):
            x = layer.forward(x)
            if type(layer).__name__ == "Convolution":
                maps.append((f"layer {index}: Convolution", to_numpy(x[0])))
    return maps


def plot_feature_maps(model, image, path, count=8, title=""):
    """``image`` and, one row per convolution, its first ``count`` feature maps.

    Parameters
    ----------
    model : Network
        See :func:`feature_maps`.
    image : ndarray, shape (C, H, W)
    path : str or Path
    count : int, default=8
        Maps shown per convolution.
    """
    maps = feature_maps(model, image)
    plt = pyplot()
    cols = 1 + min(count, max(m.shape[0] for _, m in maps))
    fig, axes = plt.subplots(len(maps), cols, figsize=(1.3 * cols, 1.5 * len(maps) + 0.4), squeeze=False)
    picture = np.asarray(image)
    picture = picture[0] if picture.shape[0] == 1 else picture.transpose(1, 2, 0)
    for row, (label, stack) in enumerate(maps):
        axes[row, 0].imshow(picture, cmap="gray_r" if picture.ndim == 2 else None)
        axes[row, 0].set_title("input" if row == 0 else "", fontsize=7)
        axes[row, 0].set_ylabel(label, fontsize=7)
        for col in range(1, cols):
            ax = axes[row, col]
            ax.set(xticks=[], yticks=[])
            if col - 1 < stack.shape[0]:
                ax.imshow(stack[col - 1], cmap="viridis")
                ax.set_title(f"map {col - 1}", fontsize=7)
            else:
                ax.axis("off")
        axes[row, 0].set(xticks=[], yticks=[])
    fig.suptitle(title or "feature maps after each convolution (bright = strong response)")
    return save_figure(fig, path)
