"""Optimizers with per-element step sizes: AdaGrad, RMSprop, Adam (``torch.optim`` rules)."""

from nnscratch.backend import get_array_module
from nnscratch.optim.base import Optimizer


class AdaGrad(Optimizer):
    """``torch.optim.Adagrad``::

        sum_sq += grad ** 2
        param  -= lr * grad / (sqrt(sum_sq) + eps)

    Parameters
    ----------
    lr : float, default=0.01
    eps : float, default=1e-10
    weight_decay : float, default=0.0
    """

    slots = ("sum_sq",)

    def __init__(self, lr=0.01, eps=1e-10, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        self.eps = float(eps)

    def hyperparameters(self):
        return {**super().hyperparameters(), "eps": self.eps}

    def rule(self, param, grad, state):
        xp = get_array_module(param)
        state["sum_sq"] += grad**2
        param -= self.lr * grad / (xp.sqrt(state["sum_sq"]) + self.eps)


class RMSprop(Optimizer):
    """``torch.optim.RMSprop`` with ``alpha = decay_rate``::

        mean_sq = decay_rate * mean_sq + (1 - decay_rate) * grad ** 2
        param  -= lr * grad / (sqrt(mean_sq) + eps)

    Parameters
    ----------
    lr : float, default=0.01
    decay_rate : float, default=0.99
    eps : float, default=1e-8
    weight_decay : float, default=0.0
    """

    slots = ("mean_sq",)

    def __init__(self, lr=0.01, decay_rate=0.99, eps=1e-8, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        if not 0 <= decay_rate < 1:
            raise ValueError(f"decay_rate must be in [0, 1), got {decay_rate!r}")
        self.decay_rate, self.eps = float(decay_rate), float(eps)

    def hyperparameters(self):
        return {**super().hyperparameters(), "decay_rate": self.decay_rate, "eps": self.eps}

    def rule(self, param, grad, state):
        xp = get_array_module(param)
        mean_sq = state["mean_sq"]
        mean_sq *= self.decay_rate
        mean_sq += (1 - self.decay_rate) * grad**2
        param -= self.lr * grad / (xp.sqrt(mean_sq) + self.eps)


class Adam(Optimizer):
    """``torch.optim.Adam`` (Kingma & Ba), at step t = 1, 2, ...::

        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad ** 2
        param -= lr * (m / (1 - beta1 ** t)) / (sqrt(v / (1 - beta2 ** t)) + eps)

    Parameters
    ----------
    lr : float, default=0.001
    beta1 : float, default=0.9
    beta2 : float, default=0.999
    eps : float, default=1e-8
    weight_decay : float, default=0.0
    """

    slots = ("m", "v")

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        super().__init__(lr, weight_decay)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= beta < 1:
                raise ValueError(f"{name} must be in [0, 1), got {beta!r}")
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def hyperparameters(self):
        return {**super().hyperparameters(), "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def rule(self, param, grad, state):
        xp = get_array_module(param)
        m, v = state["m"], state["v"]
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad**2
        m_hat = m / (1 - self.beta1**self.steps)
        v_hat = v / (1 - self.beta2**self.steps)
        param -= self.lr * m_hat / (xp.sqrt(v_hat) + self.eps)
