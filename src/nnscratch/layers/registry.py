"""The one list of layers.

Each layer class registers itself where it is defined, with the ``@register``
decorator; everything that needs "all layers" reads the tables here:
``Sequential`` to rebuild a saved model, ``mlp``/``TwoLayerNet`` and the
command line for their activation choices, the package namespaces for their
exports, and the tests for the gradient checks and the PyTorch comparisons.

Adding a layer is one module in ``nnscratch/layers/`` (every module there is
imported) and one ``@register`` line above its class.
"""

LAYERS = {}
"""dict[str, type]: class name -> every layer a ``Sequential`` can hold, in registration order."""

ACTIVATIONS = {}
"""dict[str, type]: short name ("relu") -> activation layer class, the ``activation=`` choices."""

LOSSES = {}
"""dict[str, type]: class name -> loss layer (the last step of a network)."""


def register(cls=None, *, activation=None, loss=False):
    """Class decorator: add a layer to :data:`LAYERS` (or a loss to :data:`LOSSES`).

    Parameters
    ----------
    activation : str, optional
        Also offer the layer as ``activation=<this name>`` (it must build with no arguments).
    loss : bool, default=False
        A loss layer, ``forward(scores, t) -> float``; kept apart from the layers.

    Examples
    --------
    >>> from nnscratch.layers import Layer, register
    >>> @register(activation="softplus_example")
    ... class SoftplusExample(Layer):
    ...     def forward(self, x): ...
    ...     def backward(self, dout): ...
    >>> ACTIVATIONS["softplus_example"] is SoftplusExample
    True
    >>> unregister(SoftplusExample)  # (only so that this example leaves no trace)
    """

    def add(klass):
        table = LOSSES if loss else LAYERS
        name = klass.__name__
        if name in table and table[name] is not klass:
            raise ValueError(f"a layer named {name!r} is registered already ({table[name].__module__})")
        table[name] = klass
        if activation is not None:
            if activation in ACTIVATIONS and ACTIVATIONS[activation] is not klass:
                raise ValueError(f"the activation name {activation!r} is taken by {ACTIVATIONS[activation].__name__}")
            ACTIVATIONS[activation] = klass
        return klass

    return add if cls is None else add(cls)


def unregister(cls):
    """Remove ``cls`` from every table (for tests and examples that register a throwaway layer)."""
    for table in (LAYERS, ACTIVATIONS, LOSSES):
        for key in [key for key, value in table.items() if value is cls]:
            del table[key]


def layer_class(name, table=None):
    """The class registered as ``name``, or a ValueError listing what is registered."""
    table = LAYERS if table is None else table
    if name not in table:
        raise ValueError(f"no layer named {name!r} is registered; known: {', '.join(table)}")
    return table[name]
