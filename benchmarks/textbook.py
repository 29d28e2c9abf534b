"""The textbook's two-layer net and training loop, as learners write it from the book.

float64 arrays, layers kept in a dict and run in order, every mini-batch drawn
with ``np.random.choice`` (with replacement), and the loss computed again after
each update for the learning curve: the baseline nnscratch is measured against.
"""

import numpy as np


class BookAffine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return np.dot(dout, self.W.T)


class BookRelu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class BookSoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        x = x - x.max(axis=1, keepdims=True)
        self.y = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)
        batch = self.y.shape[0]
        return -np.sum(np.log(self.y[np.arange(batch), t] + 1e-7)) / batch

    def backward(self, dout=1):
        batch = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(batch), self.t] -= 1
        return dx / batch


class BookTwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, rng):
        std = np.sqrt(2.0 / input_size)  # He init, as nnscratch's mlp uses, for a fair accuracy comparison
        self.params = {
            "W1": std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": np.sqrt(2.0 / hidden_size) * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }
        self.layers = {
            "Affine1": BookAffine(self.params["W1"], self.params["b1"]),
            "Relu1": BookRelu(),
            "Affine2": BookAffine(self.params["W2"], self.params["b2"]),
        }
        self.last_layer = BookSoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {
            "W1": self.layers["Affine1"].dW,
            "b1": self.layers["Affine1"].db,
            "W2": self.layers["Affine2"].dW,
            "b2": self.layers["Affine2"].db,
        }


def textbook_epoch(net, x, t, batch_size=100, lr=0.1, seed=0):
    """One epoch as the book counts it: N / batch_size iterations of random batches."""
    np.random.seed(seed)  # noqa: NPY002 - the book's global RNG, on purpose
    losses = []
    for _ in range(max(len(x) // batch_size, 1)):
        batch_mask = np.random.choice(len(x), batch_size)  # noqa: NPY002 - with replacement, as in the book
        x_batch, t_batch = x[batch_mask], t[batch_mask]
        grads = net.gradient(x_batch, t_batch)
        for key in ("W1", "b1", "W2", "b2"):
            net.params[key] -= lr * grads[key]
        losses.append(net.loss(x_batch, t_batch))
    return losses


def textbook_accuracy(net, x, t):
    return float((net.predict(x).argmax(axis=1) == t).mean())
