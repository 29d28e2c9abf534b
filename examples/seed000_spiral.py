"""Seed 000: a two-layer net on the spiral, trained by the book's own update loop."""

from nnscratch import TwoLayerNet, gradcheck
from nnscratch.data import make_spiral

x, t = make_spiral(seed=0)  # 3 arms of 100 points
net = TwoLayerNet(input_size=2, hidden_size=100, output_size=3, reg=1e-3, seed=0)
print(gradcheck(net, x[:5], t[:5]), "\n")  # check backprop before trusting it

for step in range(10_000):
    grads = net.gradient(x, t)
    for key in net.params:
        net.params[key] -= 1.0 * grads[key]  # in place: the layers see the new weights
    if step % 2000 == 0:
        print(f"step {step:5d}: loss {net.loss(x, t):.4f}")
print(f"training accuracy {net.accuracy(x, t):.3f}")  # >= 0.98
