"""Training loops."""

from nnscratch.train.full_batch import fit_full_batch

__all__ = ["fit_full_batch"]
