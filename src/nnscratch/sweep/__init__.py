"""Hyperparameter sweeps with Optuna that reproduce seed 000's table.

Reading order: ``space`` (what is searched, checked whole), ``objective`` (one
trial's training), ``storage`` (where the study lives: a journal file or a
database), ``runner`` (the sweep: opening the study, its target, lost trials),
``coordinator`` and ``workers`` (the worker processes and how each trial is
granted), ``report`` (the table and plots).
Needs Optuna (``pip install "nnscratch[sweep]"``).
"""
