"""Learning-rate schedules: the learning rate for epoch e (0-based) from the initial one."""

import math

from nnscratch.validation import NONNEGATIVE, POSITIVE, Interval, check_positive_int


class ExponentialDecay:
    """Seed 000's per-epoch ``lr_decay``: ``lr_e = lr_0 * decay ** e``."""

    def __init__(self, decay):
        self.decay = Interval(0, 1, closed="right").check(decay, "lr_decay")

    def __call__(self, epoch, base_lr):
        return base_lr * self.decay**epoch

    def __repr__(self):
        return f"ExponentialDecay(decay={self.decay})"


class StepDecay:
    """``lr_e = lr_0 * gamma ** (e // step_size)``: drop by ``gamma`` every ``step_size`` epochs."""

    def __init__(self, step_size, gamma=0.1):
        self.step_size = check_positive_int(step_size, "step_size")
        self.gamma = POSITIVE.check(gamma, "gamma")

    def __call__(self, epoch, base_lr):
        return base_lr * self.gamma ** (epoch // self.step_size)

    def __repr__(self):
        return f"StepDecay(step_size={self.step_size}, gamma={self.gamma})"


class CosineAnnealing:
    """``lr_e = min_lr + (lr_0 - min_lr) * (1 + cos(pi * e / total_epochs)) / 2``."""

    def __init__(self, total_epochs, min_lr=0.0):
        self.total_epochs = check_positive_int(total_epochs, "total_epochs")
        self.min_lr = NONNEGATIVE.check(min_lr, "min_lr")

    def __call__(self, epoch, base_lr):
        progress = min(epoch, self.total_epochs) / self.total_epochs
        return self.min_lr + (base_lr - self.min_lr) * (1 + math.cos(math.pi * progress)) / 2

    def __repr__(self):
        return f"CosineAnnealing(total_epochs={self.total_epochs}, min_lr={self.min_lr})"
