"""The names the checker recognises, and the kind of thing each one is.

A learner's top-level object is checked when its name is one of these:
the names the library itself (and the book) gives to the same thing.
"""

LAYERS = (
    "Affine",
    "Relu",
    "Sigmoid",
    "Tanh",
    "LeakyRelu",
    "Elu",
    "SoftmaxWithLoss",
    "MulLayer",
    "AddLayer",
    "Dropout",
    "BatchNorm",
)
FUNCTIONS = (
    "step_function",
    "sigmoid",
    "relu",
    "tanh",
    "softmax",
    "cross_entropy_error",
    "sum_squared_error",
    "numerical_diff",
    "numerical_gradient",
)
OPTIMIZERS = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")
NETWORKS = ("TwoLayerNet",)

KINDS = {
    **dict.fromkeys(LAYERS, "layer"),
    **dict.fromkeys(FUNCTIONS, "function"),
    **dict.fromkeys(OPTIMIZERS, "optimizer"),
    **dict.fromkeys(NETWORKS, "network"),
}
RECOGNISED = tuple(KINDS)


def recognised_objects(namespace, only=None):
    """The ``{name: object}`` of a module's namespace that the checker can check.

    The library's own objects (``from nnscratch import Affine``) are left out:
    they are the reference, and checking them against themselves says nothing.
    """
    import nnscratch

    wanted = RECOGNISED if only is None else tuple(name for name in RECOGNISED if name in only)
    return {
        name: namespace[name]
        for name in wanted
        if name in namespace and namespace[name] is not getattr(nnscratch, name, None)
    }


def recognised_hint():
    """The end of every message that says a name was not recognised."""
    return "recognised names: " + ", ".join(RECOGNISED)
