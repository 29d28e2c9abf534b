"""Weight initialisers: each returns a new (fan_in, fan_out) array that starts on a cache line.

(:mod:`nnscratch.alignment` says why the start matters.)
"""

import numpy as np

from nnscratch.alignment import aligned


def std_normal(rng, fan_in, fan_out, std=0.01, dtype=np.float64):
    """Gaussian weights ``std * randn(fan_in, fan_out)`` (the lectures' 0.01)."""
    return aligned((std * rng.standard_normal((fan_in, fan_out))).astype(dtype))


def xavier(rng, fan_in, fan_out, dtype=np.float64):
    """Gaussian weights with std ``sqrt(1 / fan_in)`` (Glorot & Bengio, for sigmoid/tanh)."""
    return std_normal(rng, fan_in, fan_out, std=np.sqrt(1.0 / fan_in), dtype=dtype)


def he(rng, fan_in, fan_out, dtype=np.float64):
    """Gaussian weights with std ``sqrt(2 / fan_in)`` (He et al., for ReLU)."""
    return std_normal(rng, fan_in, fan_out, std=np.sqrt(2.0 / fan_in), dtype=dtype)
