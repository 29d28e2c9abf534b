"""Plots, written as PNG files. Needs matplotlib (``pip install nnscratch[plot]``)."""

from nnscratch.viz.plots import (
    plot_decision_boundary,
    plot_descent_paths,
    plot_history,
    plot_probabilities,
    plot_tangent,
)

__all__ = ["plot_decision_boundary", "plot_descent_paths", "plot_history", "plot_probabilities", "plot_tangent"]
