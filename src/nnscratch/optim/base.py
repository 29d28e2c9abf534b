"""The one contract every optimizer follows.

``update(params, grads)`` takes two mappings with the same keys (a model's
``params`` and the gradients from ``model.loss_and_grads``) and changes each
parameter array in place (plain SGD also takes gradients that already hold the
learning rate: ``lr_folded=True``, see :meth:`Optimizer.update`). A subclass
declares its hyperparameters once, in ``hyperparameter_ranges`` (name -> allowed
:class:`~nnscratch.validation.Interval`), names its per-parameter state arrays in
``slots``, and writes only the rule for one parameter, :meth:`Optimizer.rule`.

State belongs to the parameter arrays it was made for: the first ``update``
binds the optimizer to those arrays, and a later ``update`` with other arrays
(another model, even one whose parameters have the same names) raises a clear
error instead of silently sharing a velocity or Adam's moments between them.
"""

from abc import ABC, abstractmethod

import numpy as np

from nnscratch.alignment import empty_aligned
from nnscratch.backend import get_array_module
from nnscratch.validation import NONNEGATIVE, POSITIVE, check_choice


class Optimizer(ABC):
    """Base class: learning rate, optional weight decay, per-parameter state.

    Parameters
    ----------
    lr : float
        Learning rate, > 0; schedules change it between epochs.
    weight_decay : float, default=0.0
        Adds ``weight_decay * param`` to every gradient first, as
        ``torch.optim`` does: L2 on *all* parameters, biases included, applied
        by the optimizer. nnscratch's default regularisation is the lectures'
        ``reg`` of the network instead (``Network(reg=...)``: weights only, and
        ``0.5 * reg * sum(W ** 2)`` is part of the reported loss); the two are
        the same only when there are no biases and ``weight_decay == reg``.
        Use one of them, not both.

    Attributes
    ----------
    steps : int
        Updates done so far (Adam's t).
    state : dict[str, dict[str, ndarray]]
        Per parameter key, its slot arrays (a velocity, running averages).
    """

    # The hyperparameters and their allowed ranges. Each class lists only its own; the
    # constructor checks them, and hyperparameters(), repr and load_state_dict read this.
    hyperparameter_ranges = {"lr": POSITIVE, "weight_decay": NONNEGATIVE}
    # Names of the per-parameter state arrays, each made as zeros shaped like its parameter.
    slots = ()

    def __init__(self, **hyperparameters):
        ranges = self.all_hyperparameter_ranges()
        for name in ranges:
            setattr(self, name, ranges[name].check(hyperparameters.pop(name), name))
        if hyperparameters:  # a subclass passed a name it did not declare
            raise TypeError(f"{type(self).__name__} got undeclared hyperparameters {sorted(hyperparameters)}")
        self.steps = 0
        self.state = {}
        self._owners = {}  # key -> the parameter array this state belongs to
        self._bound = False  # True once an update has bound the state to its parameters
        self._scratch = {}  # (module, shape, dtype, slot) -> a reusable array; see scratch()

    @classmethod
    def all_hyperparameter_ranges(cls):
        """dict: name -> Interval over the class and its bases, base class first."""
        ranges = {}
        for klass in reversed(cls.__mro__):
            ranges.update(vars(klass).get("hyperparameter_ranges", {}))
        return ranges

    @property
    def folds_lr(self):
        """bool: whether :meth:`update` takes ``lr_folded=True``; only plain SGD's rule allows it."""
        return False

    def update(self, params, grads, lr_folded=False):
        """Apply one step to every parameter in ``params`` (mapping of arrays, changed in place).

        ``lr_folded=True`` says that ``grads`` are gradients of ``lr * loss`` (from
        ``model.loss_and_grads(x, t, grad_scale=optimizer.lr)``), so plain SGD's step is
        ``param -= grad`` as they are: the same step as ``param -= lr * gradient``, less one
        multiplication of every gradient (the last rounding differs). Only optimizers whose
        :attr:`folds_lr` is True take it; the Trainer uses it for them.

        Raises
        ------
        ValueError
            If ``params`` are not the arrays of the first ``update`` (or of the
            state loaded with :meth:`load_state_dict`), or ``lr_folded`` is given
            to an optimizer whose rule is not ``param -= lr * grad``.
        TypeError
            If ``lr_folded`` is not a bool (a string such as "no" would read as True).
        """
        if lr_folded is not False:  # the usual call costs one test
            if lr_folded is not True and not isinstance(lr_folded, np.bool_):
                raise TypeError(f"lr_folded must be True or False, got {lr_folded!r}")
            if lr_folded and not self.folds_lr:
                raise ValueError(
                    f"lr_folded=True needs plain SGD without weight decay, whose step is param -= lr * grad; "
                    f"{self!r} cannot take gradients that already hold the learning rate"
                )
        owners, items = self._owners, params.items()  # ParamView.items() walks the layers: once per step
        for key, param in items:
            if owners.get(key) is not param:
                self._adopt(key, param)
        if not self._bound:
            self._finish_binding()
        elif len(owners) != len(items):
            self._refuse(f"it got {len(items)} parameters, not the {len(owners)} it holds state for")
        self.steps += 1
        if lr_folded:
            for key, param in items:
                param -= grads[key]
            return
        state, decay, rule = self.state, self.weight_decay, self.rule
        for key, param in items:
            grad = grads[key]
            if decay:
                grad = grad + decay * param
            rule(param, grad, state[key])

    def _adopt(self, key, param):
        """Bind the state of ``key`` to ``param`` on first use; refuse an array that is not its own."""
        if self._bound:
            self._refuse(f"{key!r} is a different array" if key in self._owners else f"it has no state for {key!r}")
        if key in self.state:  # loaded by load_state_dict: check it fits
            for slot, value in self.state[key].items():
                if value.shape != param.shape:
                    raise ValueError(f"loaded state {key}/{slot} has shape {value.shape}, but {key} has {param.shape}")
        else:
            self.state[key] = {slot: param * 0 for slot in self.slots}
        self._owners[key] = param

    def _finish_binding(self):
        unused = sorted(set(self.state) - set(self._owners))
        if unused:
            raise ValueError(f"the loaded optimizer state has parameters {unused} that update() was not given")
        self._bound = True

    def _refuse(self, what):
        raise ValueError(
            f"this {type(self).__name__} holds state for the parameter arrays of its first update(), but {what}: "
            "an optimizer's state belongs to one model's parameters; make one optimizer per model"
        )

    def scratch(self, param, slot=0):
        """A reusable array shaped like ``param`` for a rule's intermediate values.

        Made once per shape (``slot`` tells several apart) and overwritten by every
        step: rules that allocated parameter-sized temporaries every step spent
        more time in the allocator, whenever it handed their pages back to the
        system between steps, than in the arithmetic itself.
        """
        key = (type(param), param.shape, param.dtype, slot)  # the array type tells NumPy from CuPy
        array = self._scratch.get(key)
        if array is None:
            array = self._scratch[key] = empty_aligned(param.shape, param.dtype, get_array_module(param))
        return array

    @abstractmethod
    def rule(self, param, grad, state):
        """Update ``param`` in place from ``grad``; ``state`` holds this parameter's slots."""

    def hyperparameters(self):
        """dict: the constructor arguments, for checkpoints and reprs."""
        return {name: getattr(self, name) for name in self.all_hyperparameter_ranges()}

    def state_dict(self):
        """Everything needed to resume, as a dict.

        Returns
        -------
        dict
            ``class`` (str), ``hyperparameters`` (dict), ``steps`` (int): JSON-able;
            ``arrays``: ``"<param key>/<slot>"`` -> the live state arrays (saved in ``.npz``).
        """
        arrays = {f"{key}/{slot}": value for key, slots in self.state.items() for slot, value in slots.items()}
        return {
            "class": type(self).__name__,
            "hyperparameters": self.hyperparameters(),
            "steps": self.steps,
            "arrays": arrays,
        }

    def load_state_dict(self, state, info=None):
        """Restore what :meth:`state_dict` returned, after checking it (arrays are copied).

        The next ``update`` binds the loaded state to the parameters it is given,
        checking their names and shapes. The older form ``load_state_dict(arrays, info)``
        is accepted too.

        Raises
        ------
        ValueError
            On another optimizer class, unknown or missing hyperparameters, a value out
            of its range, a bad step count or state arrays that are not this class's slots.
        """
        if info is not None:
            state = {**info, "arrays": state}
        if not isinstance(state, dict) or not {"class", "hyperparameters", "steps", "arrays"} <= set(state):
            raise ValueError("state must be the dict state_dict() returns, with class, hyperparameters, steps, arrays")
        if state["class"] != type(self).__name__:
            raise ValueError(f"optimizer state is for {state['class']}, not {type(self).__name__}")
        hyperparameters = self._checked_hyperparameters(state["hyperparameters"])
        steps = state["steps"]
        if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 0:
            raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
        loaded = self._checked_arrays(state["arrays"])
        for name, value in hyperparameters.items():
            setattr(self, name, value)
        self.steps, self.state, self._owners, self._bound = int(steps), loaded, {}, False

    def _checked_hyperparameters(self, values):
        ranges = self.all_hyperparameter_ranges()
        if set(values) != set(ranges):
            raise ValueError(f"{type(self).__name__} hyperparameters are {sorted(ranges)}, got {sorted(values)}")
        return {name: ranges[name].check(value, name) for name, value in values.items()}

    def _checked_arrays(self, arrays):
        loaded = {}
        for name, value in arrays.items():
            key, _, slot = name.rpartition("/")
            check_choice(slot, f"the slot of optimizer state {name!r}", self.slots)
            loaded.setdefault(key, {})[slot] = value.copy()
        for key, slots in loaded.items():
            if set(slots) != set(self.slots):
                expected = sorted(self.slots)
                raise ValueError(f"optimizer state for {key!r} has slots {sorted(slots)}, expected {expected}")
        return loaded

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({args})"


# Elements per block of subtract_scaled: 256 KiB of float32, which stays in a core's L2 cache.
BLOCK = 1 << 16


def subtract_scaled(param, grad, scale, scratch):
    """``param -= scale * grad``, in place, a block at a time on the CPU.

    The one-line version writes the whole product ``scale * grad`` to memory and reads it
    back: for a 784 x 1000 float32 weight, 6 MB more to move on every step than the
    9 MB of the subtraction itself. Block by block, the product is still in the cache
    when it is subtracted. The numbers are the same: each element is computed the same
    way. ``scratch``, an array shaped like ``param``, holds the product (one block of it
    on the CPU).
    """
    if type(param) is not np.ndarray:  # on a GPU: one call
        param -= get_array_module(param).multiply(grad, scale, out=scratch)
    elif param.size <= BLOCK or not (param.flags.c_contiguous and grad.flags.c_contiguous):
        param -= np.multiply(grad, scale, out=scratch)  # small enough for the cache as it is
    else:
        _subtract_in_blocks(param.reshape(-1), grad.reshape(-1), scale, scratch.reshape(-1)[:BLOCK])


def _subtract_in_blocks(param, grad, scale, block):
    """``param -= scale * grad`` for 1-D views, BLOCK elements at a time through ``block``."""
    for start in range(0, param.size, BLOCK):
        part = param[start : start + BLOCK]
        part -= np.multiply(grad[start : start + BLOCK], scale, out=block[: part.size])
