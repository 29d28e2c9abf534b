"""The book's SimpleConvNet: conv -> ReLU -> pool -> affine -> ReLU -> affine -> softmax loss."""

import numpy as np

from nnscratch import init
from nnscratch.layers import Affine, Convolution, Pooling, Relu, SoftmaxWithLoss
from nnscratch.layers.im2col import output_size as window_positions
from nnscratch.models.network import Network
from nnscratch.validation import NONNEGATIVE, check_positive_int

_NAMES = {(0, "W"): "W1", (0, "b"): "b1", (3, "W"): "W2", (3, "b"): "b2", (5, "W"): "W3", (5, "b"): "b3"}
_CONV_KEYS = ("filter_num", "filter_size", "pad", "stride")


class SimpleConvNet(Network):
    """A small convolutional network (the book's chapter 7)::

        x (N, C, H, W)
        -> Convolution(W1, b1)       (N, FN, OH, OW)
        -> Relu -> Pooling 2x2, stride 2   (N, FN, OH // 2, OW // 2)
        -> Affine(W2, b2) -> Relu    (N, hidden_size)
        -> Affine(W3, b3)            scores (N, output_size), then softmax cross-entropy

    Parameters
    ----------
    input_dim : tuple (C, H, W), default=(1, 28, 28)
    conv_param : dict, default={"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1}
        FN filters of filter_size x filter_size; missing keys take these defaults.
    hidden_size : int, default=100
    output_size : int, default=10
    weight_init_std : float, default=0.01
        Weights are ``weight_init_std * randn``; biases start at zero.
    seed : int or numpy.random.Generator, optional
    dtype : numpy dtype, default=np.float64
    reg : float, default=0.0
        L2 strength on W1, W2, W3.

    Attributes
    ----------
    params : dict
        "W1" (FN, C, FS, FS), "b1" (FN,), "W2" (FN * PH * PW, hidden_size), "b2" (hidden_size,),
        "W3" (hidden_size, output_size), "b3" (output_size,), with PH x PW the pooled image.
        The layers' own arrays: updating ``params[k]`` in place updates the net.

    Examples
    --------
    >>> import numpy as np
    >>> from nnscratch import SimpleConvNet
    >>> net = SimpleConvNet(input_dim=(1, 10, 10), conv_param={"filter_num": 3, "filter_size": 3},
    ...                     hidden_size=8, output_size=4, seed=0)
    >>> {k: v.shape for k, v in net.params.items()}
    {'W1': (3, 1, 3, 3), 'b1': (3,), 'W2': (48, 8), 'b2': (8,), 'W3': (8, 4), 'b3': (4,)}
    >>> net.predict(np.zeros((2, 1, 10, 10))).shape
    (2, 4)
    """

    def __init__(
        self,
        input_dim=(1, 28, 28),
        conv_param=None,
        hidden_size=100,
        output_size=10,
        weight_init_std=0.01,
        seed=None,
        dtype=np.float64,
        reg=0.0,
    ):
        conv = _conv_param(conv_param)
        C, H, W = _input_dim(input_dim)
        hidden = check_positive_int(hidden_size, "hidden_size")
        classes = check_positive_int(output_size, "output_size")
        std = NONNEGATIVE.check(weight_init_std, "weight_init_std")
        FN, FS = conv["filter_num"], conv["filter_size"]
        OH, OW = window_positions((1, C, H, W), FS, FS, conv["stride"], conv["pad"])
        pooled = FN * (OH // 2) * (OW // 2)
        if pooled == 0:
            raise ValueError(f"the {OH}x{OW} convolution output of input_dim {(C, H, W)} is too small to pool 2x2")
        rng = np.random.default_rng(seed)
        filters = init.std_normal(rng, FN, C * FS * FS, std, dtype).reshape(FN, C, FS, FS)
        super().__init__(
            [
                Convolution(filters, np.zeros(FN, dtype=dtype), conv["stride"], conv["pad"]),
                Relu(),
                Pooling(2, 2, stride=2),
                Affine(init.std_normal(rng, pooled, hidden, std, dtype), np.zeros(hidden, dtype=dtype)),
                Relu(),
                Affine(init.std_normal(rng, hidden, classes, std, dtype), np.zeros(classes, dtype=dtype)),
            ],
            SoftmaxWithLoss(),
            reg,
        )
        self.input_dim, self.conv_param = (C, H, W), conv

    def accuracy(self, x, t, batch_size=100):
        """Fraction of images whose highest score is the label, ``batch_size`` images at a time.

        The book's signature: a convolution's columns for a whole test set at once would
        take gigabytes (10,000 MNIST images: 25 x 5,760,000 numbers for the first layer alone).
        """
        check_positive_int(batch_size, "batch_size")
        if len(x) <= batch_size:
            return super().accuracy(x, t)
        hits = 0
        for start in range(0, len(x), batch_size):
            x_batch, t_batch = x[start : start + batch_size], t[start : start + batch_size]
            hits += round(super().accuracy(x_batch, t_batch) * len(x_batch))
        return hits / len(x)

    def param_name(self, index, layer, attr):
        return _NAMES[index, attr]

    def metadata(self):
        return {
            **super().metadata(),
            "input_dim": list(self.input_dim),
            "conv_param": self.conv_param,
            "hidden_size": self.layers[3].W.shape[1],
            "output_size": self.layers[5].W.shape[1],
        }

    def __repr__(self):
        conv = ", ".join(f"{key}={self.conv_param[key]}" for key in _CONV_KEYS)
        return (
            f"SimpleConvNet(input_dim={self.input_dim}, {conv}, hidden_size={self.layers[3].W.shape[1]}, "
            f"output_size={self.layers[5].W.shape[1]}, reg={self.reg}, dtype={self.dtype})"
        )


def _conv_param(conv_param):
    defaults = {"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1}
    given = dict(conv_param or {})
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ValueError(f"conv_param takes the keys {', '.join(_CONV_KEYS)}; got unknown key(s) {unknown}")
    conv = {**defaults, **given}
    for key in ("filter_num", "filter_size", "stride"):
        check_positive_int(conv[key], f"conv_param[{key!r}]")
    return conv


def _input_dim(input_dim):
    dims = tuple(input_dim)
    if len(dims) != 3:
        raise ValueError(f"input_dim must be (C, H, W), got {input_dim!r}")
    return tuple(check_positive_int(d, "input_dim entries") for d in dims)
