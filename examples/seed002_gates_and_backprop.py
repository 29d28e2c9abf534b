"""Seed 002: perceptron gates, XOR as two layers, and backprop through computational graphs."""

from nnscratch import AddLayer, MulLayer
from nnscratch.perceptron import AND, NAND, OR, XOR

for x1, x2 in [(0, 0), (1, 0), (0, 1), (1, 1)]:
    print(f"{x1} {x2} | AND {AND(x1, x2)}  NAND {NAND(x1, x2)}  OR {OR(x1, x2)}  XOR {XOR(x1, x2)}")

# Two apples at 100, three oranges at 150, tax 1.1: forward, then backward from d(price) = 1.
mul_apple, mul_orange, add, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
price = mul_tax.forward(add.forward(mul_apple.forward(100, 2), mul_orange.forward(150, 3)), 1.1)
dsum, dtax = mul_tax.backward(1)
dapples, doranges = add.backward(dsum)
print(
    "price",
    round(price, 6),
    "| d/dapple, d/dapple_num:",
    mul_apple.backward(dapples),
    "| d/dorange, d/dorange_num:",
    mul_orange.backward(doranges),
    "| d/dtax:",
    dtax,
)
