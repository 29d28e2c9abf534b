"""``model.params``: a read-only mapping from a network's parameter names to its layers' own arrays.

A network finds its parameters once (``Network._slots``); this
view reads them from the layers on every lookup, so it never goes stale, and refuses to have
an entry replaced, which would otherwise leave the layer's array unchanged without a word.
"""

from collections.abc import Mapping


class ParamView(Mapping):
    """The read-only mapping ``model.params``: name -> the layer's own parameter array.

    It reads the layers' attributes on every lookup, so it never goes stale.
    In-place arithmetic works (``params["W1"] -= lr * grad``: Python stores
    back the very array it changed). Replacing an entry with another array is
    refused with a message that says what to do instead (it would leave the
    layer's own array unchanged, so it used to do nothing, silently).
    """

    def __init__(self, slots):
        self._slots = {name: (layer, attr) for name, layer, attr, _ in slots}

    def __getitem__(self, name):
        layer, attr = self._slots[name]
        return getattr(layer, attr)

    def __iter__(self):
        return iter(self._slots)

    def items(self):
        """(name, array) pairs, read straight from the layers (the optimizer's per-step walk)."""
        return [(name, getattr(layer, attr)) for name, (layer, attr) in self._slots.items()]

    def values(self):
        """list of the parameter arrays, read straight from the layers, in the order of the names."""
        return [getattr(layer, attr) for layer, attr in self._slots.values()]

    def __len__(self):
        return len(self._slots)

    def __setitem__(self, name, value):
        if name in self._slots and value is self[name]:
            return  # the book's params[key] -= lr * grad: Python stores back the array it changed in place
        raise TypeError(
            f"params is read-only: to change {name!r}, update its array in place, "
            f"e.g. params[{name!r}][...] = new_values (shape {tuple(self[name].shape)})"
        )

    def __delitem__(self, name):
        raise TypeError(f"params is read-only: a network's parameters cannot be removed (tried {name!r})")

    def __repr__(self):
        return "ParamView({" + ", ".join(f"{k!r}: array{tuple(v.shape)}" for k, v in self.items()) + "})"
