"""The lectures' two-layer net: Affine -> activation -> Affine -> softmax loss."""

import numpy as np

from nnscratch import init
from nnscratch.layers import ACTIVATIONS, Affine, SoftmaxWithLoss
from nnscratch.models.network import Network
from nnscratch.validation import NONNEGATIVE, check_choice, check_positive_int

_NAMES = {(0, "W"): "W1", (0, "b"): "b1", (2, "W"): "W2", (2, "b"): "b2"}


class TwoLayerNet(Network):
    """Two-layer fully connected network (SPEC 1.5).

    ::

        scores = activation(x @ W1 + b1) @ W2 + b2      x: (N, D) -> scores: (N, C)

    Parameters
    ----------
    input_size : int
        D, features per sample (784 for MNIST).
    hidden_size : int
        H, hidden units.
    output_size : int
        C, classes.
    weight_init_std : float, default=0.01
        Weights are ``weight_init_std * randn``; biases start at zero.
    activation : str, default="relu"
        A name in the layer registry's ``nnscratch.layers.ACTIVATIONS`` (relu, sigmoid, tanh, ...).
        Hidden activation (the lectures use sigmoid in seed 001, ReLU later).
    seed : int or numpy.random.Generator, optional
        Makes the initial weights reproducible.
    dtype : numpy dtype, default=np.float64
    reg : float, default=0.0
        L2 strength on W1 and W2.

    Attributes
    ----------
    params : dict with keys "W1" (D, H), "b1" (H,), "W2" (H, C), "b2" (C,)
        The layers' own arrays: updating ``params[k]`` in place updates the net.

    Examples
    --------
    >>> import numpy as np
    >>> from nnscratch import TwoLayerNet
    >>> net = TwoLayerNet(input_size=2, hidden_size=10, output_size=3, seed=0)
    >>> {k: v.shape for k, v in net.params.items()}
    {'W1': (2, 10), 'b1': (10,), 'W2': (10, 3), 'b2': (3,)}
    >>> grads = net.gradient(np.zeros((4, 2)), np.array([0, 1, 2, 0]))
    >>> sorted(grads) == sorted(net.params)
    True
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        output_size,
        weight_init_std=0.01,
        activation="relu",
        seed=None,
        dtype=np.float64,
        reg=0.0,
    ):
        sizes = [
            check_positive_int(value, name)
            for value, name in ((input_size, "input_size"), (hidden_size, "hidden_size"), (output_size, "output_size"))
        ]
        check_choice(activation, "activation", tuple(ACTIVATIONS))
        NONNEGATIVE.check(weight_init_std, "weight_init_std")
        rng = np.random.default_rng(seed)
        D, H, C = sizes
        super().__init__(
            [
                Affine(init.std_normal(rng, D, H, weight_init_std, dtype), np.zeros(H, dtype=dtype)),
                ACTIVATIONS[activation](),
                Affine(init.std_normal(rng, H, C, weight_init_std, dtype), np.zeros(C, dtype=dtype)),
            ],
            SoftmaxWithLoss(),
            reg,
        )
        self.activation = activation

    def param_name(self, index, layer, attr):
        return _NAMES[index, attr]

    def metadata(self):
        D, H = self.layers[0].W.shape
        return {**super().metadata(), "sizes": [D, H, self.layers[2].W.shape[1]], "activation": self.activation}

    def __repr__(self):
        D, H = self.layers[0].W.shape
        C = self.layers[2].W.shape[1]
        return f"TwoLayerNet({D} -> {H} {self.activation} -> {C}, reg={self.reg}, dtype={self.dtype})"
