"""Computational-graph nodes for backprop by hand (SPEC 1.3).

Each node remembers its inputs in ``forward`` and, in ``backward``, turns the
upstream gradient ``dout`` into one gradient per input by the local rule.
"""


class MulLayer:
    """Multiply node ``out = x * y``;  ``dx = dout * y``, ``dy = dout * x``."""

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x

    def __repr__(self):
        return "MulLayer()"


class AddLayer:
    """Add node ``out = x + y``;  ``dx = dout``, ``dy = dout``."""

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout * 1, dout * 1

    def __repr__(self):
        return "AddLayer()"
