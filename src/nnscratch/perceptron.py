"""Step-function perceptrons and the logic gates they make (SPEC 1.2).

A perceptron fires (1) when ``w . x + b > 0``. AND, NAND and OR are single
perceptrons; XOR is not linearly separable, so it takes two layers:
``XOR(x1, x2) = AND(NAND(x1, x2), OR(x1, x2))``.
"""

import numpy as np

from nnscratch.functional import step_function

GATE_WEIGHTS = {
    "AND": ((0.5, 0.5), -0.7),
    "NAND": ((-0.5, -0.5), 0.7),
    "OR": ((0.5, 0.5), -0.2),
}
INPUTS = ((0, 0), (1, 0), (0, 1), (1, 1))


def perceptron(x, w, b):
    """Return ``step(w . x + b)`` as an int (0 or 1).

    Parameters
    ----------
    x, w : array_like, shape (D,)
    b : float
    """
    return int(step_function(np.dot(np.asarray(w, dtype=float), np.asarray(x, dtype=float)) + b))


def AND(x1, x2):
    """1 only when both inputs are 1."""
    return perceptron((x1, x2), *GATE_WEIGHTS["AND"])


def NAND(x1, x2):
    """0 only when both inputs are 1."""
    return perceptron((x1, x2), *GATE_WEIGHTS["NAND"])


def OR(x1, x2):
    """1 when at least one input is 1."""
    return perceptron((x1, x2), *GATE_WEIGHTS["OR"])


def XOR(x1, x2):
    """1 when exactly one input is 1: a two-layer perceptron AND(NAND, OR)."""
    return AND(NAND(x1, x2), OR(x1, x2))


def truth_table(gate):
    """Rows ``(x1, x2, gate(x1, x2))`` over the four binary inputs."""
    return [(x1, x2, gate(x1, x2)) for x1, x2 in INPUTS]
