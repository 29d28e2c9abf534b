"""Hyperparameter sweeps with Optuna that reproduce seed 000's table.

Reading order: ``space`` (what is searched), ``objective`` (one trial),
``runner`` (workers and storage), ``report`` (the table and plots).
Needs Optuna (``pip install "nnscratch[sweep]"``).
"""
