"""Plain, momentum and Nesterov SGD, with ``torch.optim.SGD``'s update rules."""

from nnscratch.backend import get_array_module
from nnscratch.optim.base import Optimizer, subtract_scaled
from nnscratch.validation import UNIT_LEFT_CLOSED


class SGD(Optimizer):
    """``param -= lr * grad``.

    Parameters
    ----------
    lr : float, default=0.01
    weight_decay : float, default=0.0
    """

    def __init__(self, lr=0.01, weight_decay=0.0):
        super().__init__(lr=lr, weight_decay=weight_decay)

    @property
    def folds_lr(self):
        """True without weight decay, unless a subclass replaced ``rule`` or ``update``: the step
        is then ``param -= lr * grad``, so gradients of ``lr * loss`` are subtracted as they are."""
        own = type(self).rule is SGD.rule and type(self).update is Optimizer.update
        return own and not self.weight_decay

    def rule(self, param, grad, state):
        subtract_scaled(param, grad, self.lr, self.scratch(param))  # param -= lr * grad, without a temporary


class Momentum(Optimizer):
    """Heavy-ball momentum, as ``torch.optim.SGD(momentum=m)``::

        velocity = momentum * velocity + grad
        param   -= lr * velocity

    (The lectures' ``v = m v - lr g; param += v`` is the same rule while the
    learning rate is constant.)

    Parameters
    ----------
    lr : float, default=0.01
    momentum : float, default=0.9
    weight_decay : float, default=0.0
    """

    hyperparameter_ranges = {"momentum": UNIT_LEFT_CLOSED}
    slots = ("velocity",)

    def __init__(self, lr=0.01, momentum=0.9, weight_decay=0.0):
        super().__init__(lr=lr, momentum=momentum, weight_decay=weight_decay)

    def rule(self, param, grad, state):
        velocity = state["velocity"]
        velocity *= self.momentum
        velocity += grad
        subtract_scaled(param, velocity, self.lr, self.scratch(param))  # param -= lr * velocity


class Nesterov(Momentum):
    """Nesterov momentum.

    As ``torch.optim.SGD(momentum=m, nesterov=True)``::

        velocity = momentum * velocity + grad
        param   -= lr * (grad + momentum * velocity)
    """

    def rule(self, param, grad, state):
        velocity = state["velocity"]
        velocity *= self.momentum
        velocity += grad
        step = get_array_module(param).multiply(velocity, self.momentum, out=self.scratch(param))
        step += grad
        step *= self.lr
        param -= step  # lr * (grad + momentum * velocity)
