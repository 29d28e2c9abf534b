"""Correct implementations in CS231n's style: reshapes and explicit arithmetic, cached
inputs, config-like optimizer state, a TwoLayerNet with sigmoid and a hand-written backward
(the book's chapter 4 network). Checked by tests/test_checker_corpus.py."""

import numpy as np


def sigmoid(x):
    # Only exp of a non-positive number is ever taken.
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def tanh(x):
    e = np.exp(-2.0 * np.abs(x))
    return np.sign(x) * (1.0 - e) / (1.0 + e)


def step_function(x):
    return (x > 0).astype(np.float64)


def relu(x):
    return x * (x > 0)


def softmax(x):
    shifted = x - np.max(x, axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return np.exp(log_probs)


def cross_entropy_error(y, t):
    y = np.atleast_2d(y)
    n = y.shape[0]
    t = np.asarray(t)
    labels = t.reshape(n, -1).argmax(axis=1) if t.size == y.size else t.reshape(n)
    picked = np.clip(y[np.arange(n), labels], 1e-12, None)
    return float(-np.log(picked).mean())


def sum_squared_error(y, t):
    diff = y - t
    return 0.5 * float(np.sum(diff * diff))


def numerical_diff(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2.0 * h)


def numerical_gradient(f, x, h=1e-5):
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    grad = np.zeros_like(x)
    for ix in np.ndindex(*x.shape):
        old = x[ix]
        x[ix] = old + h
        pos = f(x)
        x[ix] = old - h
        neg = f(x)
        x[ix] = old
        grad[ix] = (pos - neg) / (2.0 * h)
    return grad


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x.reshape(x.shape[0], -1).dot(self.W) + self.b

    def backward(self, dout):
        x = self.x
        self.dW = x.reshape(x.shape[0], -1).T.dot(dout)
        self.db = dout.sum(axis=0)
        return dout.dot(self.W.T).reshape(x.shape)


class Relu:
    def forward(self, x):
        self.x = x
        return np.maximum(0, x)

    def backward(self, dout):
        return dout * (self.x > 0)


class Tanh:
    def forward(self, x):
        self.out = tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1 - self.out * self.out)


class LeakyRelu:
    def __init__(self, alpha=0.01):
        self.alpha = alpha

    def forward(self, x):
        self.x = x
        return np.where(x > 0, x, self.alpha * x)

    def backward(self, dout):
        return np.where(self.x > 0, dout, self.alpha * dout)


class Elu:
    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def forward(self, x):
        self.x = x
        return np.where(x > 0, x, self.alpha * (np.exp(np.minimum(x, 0)) - 1))

    def backward(self, dout):
        local = np.where(self.x > 0, 1.0, self.alpha * np.exp(np.minimum(self.x, 0)))
        return dout * local


class SoftmaxWithLoss:
    def forward(self, x, t):
        n = x.shape[0]
        self.labels = t.argmax(axis=1) if t.ndim == 2 else t
        shifted = x - x.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs = np.exp(log_probs)
        return -log_probs[np.arange(n), self.labels].sum() / n

    def backward(self, dout=1.0):
        n = self.probs.shape[0]
        dx = self.probs.copy()
        dx[np.arange(n), self.labels] -= 1
        return dout * dx / n


class Nesterov:
    """torch.optim.SGD(nesterov=True): v = mu * v + g;  w -= lr * (g + mu * v)."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum = lr, momentum
        self.velocity = {}

    def update(self, params, grads):
        for key, w in params.items():
            v = self.velocity.setdefault(key, np.zeros_like(w))
            v *= self.momentum
            v += grads[key]
            w -= self.lr * (grads[key] + self.momentum * v)


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.config = {"learning_rate": lr, "beta1": beta1, "beta2": beta2, "epsilon": eps}
        self.state = {}

    def update(self, params, grads):
        c = self.config
        for key, w in params.items():
            s = self.state.setdefault(key, {"m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0})
            s["t"] += 1
            s["m"] = c["beta1"] * s["m"] + (1 - c["beta1"]) * grads[key]
            s["v"] = c["beta2"] * s["v"] + (1 - c["beta2"]) * grads[key] ** 2
            m_hat = s["m"] / (1 - c["beta1"] ** s["t"])
            v_hat = s["v"] / (1 - c["beta2"] ** s["t"])
            w -= c["learning_rate"] * m_hat / (np.sqrt(v_hat) + c["epsilon"])


class TwoLayerNet:
    """The book's chapter 4 network: sigmoid hidden layer, backward written out by hand."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        rng = np.random.default_rng(0)
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }

    def predict(self, x):
        a1 = x @ self.params["W1"] + self.params["b1"]
        return sigmoid(a1) @ self.params["W2"] + self.params["b2"]

    def loss(self, x, t):
        return cross_entropy_error(softmax(self.predict(x)), t)

    def gradient(self, x, t):
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        n = x.shape[0]
        z1 = sigmoid(x @ W1 + b1)
        y = softmax(z1 @ W2 + b2)
        dy = (y - t) / n
        da1 = (dy @ W2.T) * z1 * (1.0 - z1)
        return {"W1": x.T @ da1, "b1": da1.sum(axis=0), "W2": z1.T @ dy, "b2": dy.sum(axis=0)}
