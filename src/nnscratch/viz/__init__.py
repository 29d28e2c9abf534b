"""Plots, written as PNG files. Needs matplotlib (``pip install nnscratch[plot]``)."""

from nnscratch.viz.conv import feature_maps, plot_conv_filters, plot_feature_maps
from nnscratch.viz.plots import (
    plot_decision_boundary,
    plot_descent_paths,
    plot_history,
    plot_probabilities,
    plot_tangent,
    pyplot,
    save_figure,
)
from nnscratch.viz.training import plot_confusion_matrix, plot_first_layer_weights, plot_prediction

__all__ = [
    "feature_maps",
    "plot_confusion_matrix",
    "plot_conv_filters",
    "plot_decision_boundary",
    "plot_descent_paths",
    "plot_feature_maps",
    "plot_first_layer_weights",
    "plot_history",
    "plot_prediction",
    "plot_probabilities",
    "plot_tangent",
    "pyplot",
    "save_figure",
]
