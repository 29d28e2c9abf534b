"""Dropout's forward + backward on the MLP's hidden layers: the layer now against its former mask.

    python benchmarks/dropout.py [--reps 9] [--steps 200]

Batch 128 through the 512 and 256 units of the time-to-accuracy MLP, ratio 0.2. "before" is
the mask as ``Dropout`` drew it until 2026-11-26 (float32 uniforms, a boolean array, a cast,
a scaling); "now" is ``nnscratch.Dropout`` (16-bit uniforms cut from the raw generator).
Every cell is the median of ``--reps`` interleaved rounds of ``--steps`` forward + backward
passes of both layers.
"""

import argparse
import time

import numpy as np
from run import machine, round_robin

from nnscratch import Dropout

SHAPES = ((128, 512), (128, 256))


class FormerDropout:
    """The former mask: ``(uniform float32 >= ratio).astype(x.dtype) * (1 / (1 - ratio))``."""

    def __init__(self, ratio, seed):
        self.ratio, self.rng = ratio, np.random.default_rng(seed)

    def forward(self, x):
        keep = self.rng.random(x.shape, dtype=np.float32) >= self.ratio
        self.mask = keep.astype(x.dtype) * x.dtype.type(1.0 / (1.0 - self.ratio))
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask


def passes(layers, inputs, steps):
    start = time.perf_counter()
    for _ in range(steps):
        for layer, x in zip(layers, inputs, strict=True):
            layer.backward(layer.forward(x))
    return time.perf_counter() - start, None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    inputs = [rng.standard_normal(shape).astype(np.float32) for shape in SHAPES]
    before = [FormerDropout(0.2, seed) for seed in range(len(SHAPES))]
    now = [Dropout(0.2, seed=seed) for seed in range(len(SHAPES))]
    rows = round_robin(
        args.reps,
        {"before": lambda: passes(before, inputs, args.steps), "now": lambda: passes(now, inputs, args.steps)},
    )
    print(f"Machine: {machine()}")
    per_step = {name: 1e6 * seconds / args.steps for name, (seconds, _) in rows.items()}
    print(
        f"Dropout 0.2 on (128, 512) and (128, 256), forward + backward, medians of {args.reps} rounds: "
        f"before {per_step['before']:.0f} us per step, now {per_step['now']:.0f} us per step, "
        f"{per_step['before'] / per_step['now']:.2f}x as fast"
    )


if __name__ == "__main__":
    main()
