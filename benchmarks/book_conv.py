"""The book's convolution chapter as learners write it: the baseline for the CNN benchmarks.

``im2col`` fills a (N, C, FH, FW, OH, OW) array with one strided copy per filter offset, then
transposes it to rows; ``col2im`` adds the rows back the same way. ``Convolution`` and
``Pooling`` (max, with the arg-max backward) work through them; arrays are float64, as the
book's ``np.random.randn`` weights make every product. Measured against nnscratch's layers
in ``conv.py`` and ``time_to_accuracy.py``.
"""

import numpy as np

from textbook import BookRelu, BookSoftmaxWithLoss  # the same layers as the MLP baseline


def book_im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """(N, C, H, W) -> (N * OH * OW, C * FH * FW), one loop step per filter offset."""
    n, c, h, w = input_data.shape
    out_h = (h + 2 * pad - filter_h) // stride + 1
    out_w = (w + 2 * pad - filter_w) // stride + 1
    img = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)], "constant")
    col = np.zeros((n, c, filter_h, filter_w, out_h, out_w))
    for y in range(filter_h):
        y_end = y + stride * out_h
        for x in range(filter_w):
            x_end = x + stride * out_w
            col[:, :, y, x, :, :] = img[:, :, y:y_end:stride, x:x_end:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(n * out_h * out_w, -1)


def book_col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """The adjoint of :func:`book_im2col`: rows back to (N, C, H, W), overlaps summed."""
    n, c, h, w = input_shape
    out_h = (h + 2 * pad - filter_h) // stride + 1
    out_w = (w + 2 * pad - filter_w) // stride + 1
    col = col.reshape(n, out_h, out_w, c, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((n, c, h + 2 * pad + stride - 1, w + 2 * pad + stride - 1))
    for y in range(filter_h):
        y_end = y + stride * out_h
        for x in range(filter_w):
            x_end = x + stride * out_w
            img[:, :, y:y_end:stride, x:x_end:stride] += col[:, :, y, x, :, :]
    return img[:, :, pad : h + pad, pad : w + pad]


class BookConvolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad

    def forward(self, x):
        fn, _, fh, fw = self.W.shape
        n, _, h, w = x.shape
        out_h = (h + 2 * self.pad - fh) // self.stride + 1
        out_w = (w + 2 * self.pad - fw) // self.stride + 1
        self.x = x
        self.col = book_im2col(x, fh, fw, self.stride, self.pad)
        self.col_W = self.W.reshape(fn, -1).T
        out = np.dot(self.col, self.col_W) + self.b
        return out.reshape(n, out_h, out_w, -1).transpose(0, 3, 1, 2)

    def backward(self, dout):
        fn, c, fh, fw = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, fn)
        self.db = np.sum(dout, axis=0)
        self.dW = np.dot(self.col.T, dout).transpose(1, 0).reshape(fn, c, fh, fw)
        dcol = np.dot(dout, self.col_W.T)
        return book_col2im(dcol, self.x.shape, fh, fw, self.stride, self.pad)


class BookPooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad

    def forward(self, x):
        n, c, h, w = x.shape
        out_h = (h - self.pool_h) // self.stride + 1
        out_w = (w - self.pool_w) // self.stride + 1
        col = book_im2col(x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h * self.pool_w)
        self.x, self.arg_max = x, np.argmax(col, axis=1)
        return np.max(col, axis=1).reshape(n, out_h, out_w, c).transpose(0, 3, 1, 2)

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)
        size = self.pool_h * self.pool_w
        dmax = np.zeros((dout.size, size))
        dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
        dcol = dmax.reshape(dout.shape + (size,)).reshape(dout.shape[0] * dout.shape[1] * dout.shape[2], -1)
        return book_col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)


class BookAffine:
    """The book's Affine: flattens an image batch on the way in and restores its shape on the way out."""

    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.original_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return np.dot(self.x, self.W) + self.b

    def backward(self, dout):
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return np.dot(dout, self.W.T).reshape(*self.original_shape)


class BookConvNet:
    """Layers in order, the book's way; ``gradient`` runs forward, the loss and backward.

    ``layers`` is a list of the classes above; ``params`` maps "W1", "b1", ... to the arrays the
    layers with weights hold (in order), as the book's ``SimpleConvNet`` names them.
    """

    def __init__(self, layers):
        self.layers, self.last_layer = layers, BookSoftmaxWithLoss()
        self.weighted = [layer for layer in layers if hasattr(layer, "W")]
        self.params = {}
        for i, layer in enumerate(self.weighted, start=1):
            self.params[f"W{i}"], self.params[f"b{i}"] = layer.W, layer.b

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        grads = {}
        for i, layer in enumerate(self.weighted, start=1):
            grads[f"W{i}"], grads[f"b{i}"] = layer.dW, layer.db
        return grads


def book_simple_convnet(rng, input_dim=(1, 28, 28), filter_num=30, filter_size=5, hidden_size=100, std=0.01):
    """The book's SimpleConvNet: conv 30 5x5 - relu - pool 2x2 - affine 100 - relu - affine 10."""
    c, h, _ = input_dim
    conv_out = h - filter_size + 1
    pool_out = filter_num * (conv_out // 2) ** 2
    return BookConvNet(
        [
            BookConvolution(std * rng.standard_normal((filter_num, c, filter_size, filter_size)), np.zeros(filter_num)),
            BookRelu(),
            BookPooling(2, 2, stride=2),
            BookAffine(std * rng.standard_normal((pool_out, hidden_size)), np.zeros(hidden_size)),
            BookRelu(),
            BookAffine(std * rng.standard_normal((hidden_size, 10)), np.zeros(10)),
        ]
    )
