"""Layers that behave differently in training and evaluation: Dropout, BatchNorm."""

import math

import numpy as np

from nnscratch.backend import get_array_module
from nnscratch.layers.base import Layer
from nnscratch.layers.registry import register
from nnscratch.validation import POSITIVE, UNIT_LEFT_CLOSED, Interval, as_numeric_array, check_ndim


@register
class Dropout(Layer):
    """Inverted dropout: in training, zero each unit with probability ``ratio``.

    Training::

        mask = (uniform(x.shape) >= ratio) / (1 - ratio)
        out = x * mask                  dx = dout * mask

    Evaluation: ``out = x``. Scaling the kept units by ``1 / (1 - ratio)`` in
    training keeps each unit's expected value, so nothing changes at test
    time (the lectures' version scales by ``1 - ratio`` at test time instead;
    the predictions are the same).

    The uniform numbers are 16-bit integers cut from the generator's raw 64-bit
    output (``u = bits / 2**16``, so a unit is dropped with probability ``ratio``
    rounded to a multiple of ``2**-16``): drawing them costs about a third of
    drawing float32 uniforms, which made the mask the costliest part of a
    784-512-256-10 training step's elementwise work.

    Parameters
    ----------
    ratio : float, default=0.5
        Probability of dropping a unit, in [0, 1).
    seed : int or numpy.random.Generator, optional
        The layer's own random source; checkpoints save its state. On a GPU
        the mask is still drawn here, on the host, and copied to the device,
        so a seeded run drops the same units on either device.
    """

    def __init__(self, ratio=0.5, seed=None):
        super().__init__()
        self.ratio = UNIT_LEFT_CLOSED.check(ratio, "Dropout ratio")
        self.rng = np.random.default_rng(seed)
        # keep a unit when its 16-bit draw is >= threshold: P(drop) = threshold / 2**16
        self.threshold = np.uint16(min(round(self.ratio * 2**16), 2**16 - 1))

    def config(self):
        return {"ratio": self.ratio}

    def forward(self, x):
        x = as_numeric_array(x, "x", finite=False)
        if not self.training or self.ratio == 0:
            self.mask = None
            return x
        xp = get_array_module(x)
        if x.dtype.kind in "iu":  # the mask's 1 / (1 - ratio) would be truncated to an integer
            x = x.astype(np.float64)
        keep = xp.asarray(self._uniform16(x.shape) >= self.threshold)
        self.mask = xp.multiply(keep, x.dtype.type(1.0 / (1.0 - self.ratio)))  # (bool, scalar) -> x.dtype
        return x * self.mask

    def _uniform16(self, shape):
        """Uniform integers in [0, 2**16) of the given shape, four from each raw 64-bit draw."""
        count = math.prod(shape)
        raw = self.rng.bit_generator.random_raw(-(-count // 4))
        return raw.view(np.uint16)[:count].reshape(shape)

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask


@register
class BatchNorm(Layer):
    """Batch normalisation over the batch axis (Ioffe & Szegedy, 2015).

    Training, for x of shape (N, D)::

        mu = x.mean(axis=0)             var = x.var(axis=0)           (D,)
        xhat = (x - mu) / sqrt(var + eps)
        out = gamma * xhat + beta
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var  = momentum * running_var  + (1 - momentum) * var * N / (N - 1)

    Evaluation uses ``running_mean`` and ``running_var`` instead of the batch's.

    Backward (training)::

        dbeta = dout.sum(axis=0)        dgamma = (dout * xhat).sum(axis=0)
        dxhat = dout * gamma
        dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / sqrt(var + eps)

    Backward (evaluation; the running statistics are constants)::

        dx = dout * gamma / sqrt(running_var + eps)

    The running variance uses the unbiased batch variance, as PyTorch does;
    ``momentum = 0.9`` here is PyTorch's ``momentum = 0.1``.

    Parameters
    ----------
    gamma : ndarray, shape (D,)
        Scale, usually ones.
    beta : ndarray, shape (D,)
        Shift, usually zeros.
    momentum : float, default=0.9
    eps : float, default=1e-5
    running_mean, running_var : ndarray, shape (D,), optional
        Start values (zeros and ones by default).
    """

    param_names = ("gamma", "beta")
    buffer_names = ("running_mean", "running_var")

    def __init__(self, gamma, beta, momentum=0.9, eps=1e-5, running_mean=None, running_var=None):
        super().__init__()
        self.gamma = as_numeric_array(gamma, "gamma")
        self.beta = as_numeric_array(beta, "beta")
        check_ndim(self.gamma, "gamma", (1,))
        if self.beta.shape != self.gamma.shape:
            raise ValueError(f"beta must have shape {self.gamma.shape} like gamma, got {self.beta.shape}")
        xp = get_array_module(self.gamma)
        self.running_mean = xp.zeros_like(self.gamma) if running_mean is None else running_mean
        self.running_var = xp.ones_like(self.gamma) if running_var is None else running_var
        self.momentum = Interval(0, 1).check(momentum, "momentum")
        self.eps = POSITIVE.check(eps, "eps")  # eps <= 0 lets sqrt(var + eps) be 0 or NaN
        self.dgamma = self.dbeta = None
        self.xhat = self.inv_std = None
        self.batch_statistics = True

    def config(self):
        return {"momentum": self.momentum, "eps": self.eps}

    def forward(self, x):
        """(N, D) -> (N, D); in training caches xhat and 1 / sqrt(var + eps)."""
        D = self.gamma.shape[0]
        x = as_numeric_array(x, "x", finite=False)
        if x.ndim != 2 or x.shape[1] != D:
            raise ValueError(f"BatchNorm expects {D} input features, got an array of shape {tuple(x.shape)}")
        xp = get_array_module(x)
        if not self.training:
            # The running statistics are constants here: out is an affine map of x, and backward
            # (dx = dout * gamma * inv_std) needs only xhat and inv_std, cached as in training.
            self.inv_std = 1.0 / xp.sqrt(self.running_var + self.eps)
            self.xhat, self.batch_statistics = (x - self.running_mean) * self.inv_std, False
            return self.gamma * self.xhat + self.beta
        n = x.shape[0]
        if n < 2:
            raise ValueError(f"BatchNorm needs a batch of at least 2 samples in training, got {n}")
        mu, var = x.mean(axis=0), x.var(axis=0)
        self.inv_std = 1.0 / xp.sqrt(var + self.eps)
        self.xhat, self.batch_statistics = (x - mu) * self.inv_std, True
        self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
        self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var * (n / (n - 1))
        return self.gamma * self.xhat + self.beta

    def backward(self, dout):
        """(N, D) -> dx (N, D); sets ``dgamma`` and ``dbeta`` (D,).

        After an evaluation-mode forward, mu and var are the running ones, constants:
        ``dx = dout * gamma * inv_std``.
        """
        self.dbeta = dout.sum(axis=0)
        self.dgamma = (dout * self.xhat).sum(axis=0)
        dxhat = dout * self.gamma
        if not self.batch_statistics:
            return dxhat * self.inv_std
        return (dxhat - dxhat.mean(axis=0) - self.xhat * (dxhat * self.xhat).mean(axis=0)) * self.inv_std

    def __repr__(self):
        return f"BatchNorm({self.gamma.shape[0]}, momentum={self.momentum}, eps={self.eps})"
