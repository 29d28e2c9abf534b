"""Wrong on purpose: mutates-input (forward zeroes the negatives of its own argument)."""


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        x[self.mask] = 0
        return x

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx
