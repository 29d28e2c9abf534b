"""Training: the lectures' full-batch loop and the mini-batch Trainer.

Reading order: ``full_batch``, ``trainer`` (with ``progress`` and ``checkpoint``).
"""

from nnscratch.train.full_batch import fit_full_batch
from nnscratch.train.trainer import DivergenceError, Trainer

__all__ = ["Trainer", "DivergenceError", "fit_full_batch"]
