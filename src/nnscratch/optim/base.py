"""The one contract every optimizer follows.

``update(params, grads)`` takes two dicts with the same keys (a model's
``params`` and the gradients from ``model.gradient``), and changes each
parameter array in place. Per-parameter state (a velocity, running averages)
is kept under the parameter's key, so one optimizer serves one model. A
subclass writes only the rule for one parameter, :meth:`Optimizer.rule`.
"""

from abc import ABC, abstractmethod


class Optimizer(ABC):
    """Base class: learning rate, optional weight decay, per-key state.

    Parameters
    ----------
    lr : float
        Learning rate; schedules change it between epochs.
    weight_decay : float, default=0.0
        Adds ``weight_decay * param`` to every gradient first, as
        ``torch.optim`` does (L2 regularisation on all parameters).
    """

    # Names of the per-parameter state arrays, in the order ``init_state`` makes them.
    slots = ()

    def __init__(self, lr, weight_decay=0.0):
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr!r}")
        if not weight_decay >= 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay!r}")
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.steps = 0
        self.state = {}

    def update(self, params, grads):
        """Apply one step to every parameter in ``params`` (dict of arrays, changed in place)."""
        self.steps += 1
        for key, param in params.items():
            grad = grads[key]
            if self.weight_decay:
                grad = grad + self.weight_decay * param
            if key not in self.state:
                self.state[key] = {slot: param * 0 for slot in self.slots}
            self.rule(param, grad, self.state[key])

    @abstractmethod
    def rule(self, param, grad, state):
        """Update ``param`` in place from ``grad``; ``state`` holds this parameter's slots."""

    def hyperparameters(self):
        """dict: the constructor arguments, for checkpoints and reprs."""
        return {"lr": self.lr, "weight_decay": self.weight_decay}

    def state_dict(self):
        """Everything needed to resume: ``(arrays, info)``.

        ``arrays`` maps ``"<param key>/<slot>"`` to arrays (saved in ``.npz``);
        ``info`` is JSON-able: class name, hyperparameters and step count.
        """
        arrays = {f"{key}/{slot}": value for key, slots in self.state.items() for slot, value in slots.items()}
        info = {"class": type(self).__name__, "hyperparameters": self.hyperparameters(), "steps": self.steps}
        return arrays, info

    def load_state_dict(self, arrays, info):
        """Restore what :meth:`state_dict` returned (arrays are copied)."""
        if info["class"] != type(self).__name__:
            raise ValueError(f"optimizer state is for {info['class']}, not {type(self).__name__}")
        for name, value in info["hyperparameters"].items():
            setattr(self, name, value)
        self.steps = int(info["steps"])
        self.state = {}
        for name, value in arrays.items():
            key, slot = name.rsplit("/", 1)
            self.state.setdefault(key, {})[slot] = value.copy()

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({args})"
