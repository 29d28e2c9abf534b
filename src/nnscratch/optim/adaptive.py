"""Optimizers with per-element step sizes: AdaGrad, RMSprop, Adam (``torch.optim`` rules)."""

from nnscratch.backend import get_array_module
from nnscratch.optim.base import Optimizer
from nnscratch.validation import NONNEGATIVE, UNIT_LEFT_CLOSED


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

    hyperparameter_ranges = {"eps": NONNEGATIVE}
    slots = ("sum_sq",)

    def __init__(self, lr=0.01, eps=1e-10, weight_decay=0.0):
        super().__init__(lr=lr, eps=eps, weight_decay=weight_decay)

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

    hyperparameter_ranges = {"decay_rate": UNIT_LEFT_CLOSED, "eps": NONNEGATIVE}
    slots = ("mean_sq",)

    def __init__(self, lr=0.01, decay_rate=0.99, eps=1e-8, weight_decay=0.0):
        super().__init__(lr=lr, decay_rate=decay_rate, eps=eps, weight_decay=weight_decay)

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

    hyperparameter_ranges = {"beta1": UNIT_LEFT_CLOSED, "beta2": UNIT_LEFT_CLOSED, "eps": NONNEGATIVE}
    slots = ("m", "v")

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)

    def rule(self, param, grad, state):
        xp = get_array_module(param)
        m, v = state["m"], state["v"]
        # The formula above, one operation at a time into two scratch arrays: the same numbers as
        # the one-line form, without its six parameter-sized temporaries per step (for a
        # 784 x 1024 weight, allocating them cost more than the arithmetic).
        step, denominator = self.scratch(param), self.scratch(param, slot=1)
        m *= self.beta1
        m += xp.multiply(grad, 1 - self.beta1, out=step)
        v *= self.beta2
        xp.square(grad, out=step)
        step *= 1 - self.beta2
        v += step
        xp.divide(m, 1 - self.beta1**self.steps, out=step)  # m_hat
        step *= self.lr
        xp.divide(v, 1 - self.beta2**self.steps, out=denominator)  # v_hat
        xp.sqrt(denominator, out=denominator)
        denominator += self.eps
        step /= denominator
        param -= step
