"""Data sets: the toy sets shipped with the package."""

from nnscratch.data.toy import make_spiral

__all__ = ["make_spiral"]
