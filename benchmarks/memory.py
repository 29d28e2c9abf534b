"""Peak resident memory of training one Fashion-MNIST epoch, in a process of its own.

Prints one JSON line: peak RSS, the float32 data set's bytes and the model's bytes.

    python benchmarks/memory.py [HIDDEN]              784-HIDDEN-10, SGD (default 1000)
    python benchmarks/memory.py cnn [TRAIN_IMAGES]    the --model cnn network (goal: < 3x)
"""

import json
import sys
from pathlib import Path

from nnscratch import SGD, mlp
from nnscratch.data import load_fashion_mnist
from nnscratch.train import Trainer


def peak_rss():
    """This process's peak resident set (VmHWM), in bytes.

    Not ``getrusage``: its ``ru_maxrss`` survives ``exec`` and would report the
    parent benchmark's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(hidden=1000):
    (x, t), (x_test, t_test) = load_fashion_mnist()
    model = mlp(784, [hidden], 10, seed=0)
    Trainer(model, SGD(0.1), batch_size=100, seed=0, progress="none").fit(x, t, 1, validation_data=(x_test, t_test))
    peak = peak_rss()
    data_bytes = x.nbytes + x_test.nbytes + t.nbytes + t_test.nbytes
    model_bytes = sum(p.nbytes for p in model.params.values())
    print(json.dumps({"peak_rss": peak, "data_bytes": data_bytes, "model_bytes": model_bytes}))


def cnn(train_images=60_000):
    """The same for ``nnscratch fashion --model cnn``'s network and settings (Adam, batch 100, test
    set evaluated 100 images at a time as the command does), one epoch on ``train_images`` images."""
    from nnscratch import Adam, convnet
    from nnscratch.cli.cnn import CNN_DEFAULTS

    (x, t), (x_test, t_test) = load_fashion_mnist(flatten=False)
    model = convnet(conv=[(n, CNN_DEFAULTS["filter_size"]) for n in CNN_DEFAULTS["filters"]], dropout=0.3, seed=0)
    batch = CNN_DEFAULTS["batch_size"]
    trainer = Trainer(model, Adam(1e-3), batch_size=batch, seed=0, progress="none", eval_batch_size=batch)
    trainer.fit(x[:train_images], t[:train_images], 1, validation_data=(x_test, t_test))
    peak = peak_rss()
    data_bytes = x.nbytes + x_test.nbytes + t.nbytes + t_test.nbytes
    model_bytes = sum(p.nbytes for p in model.params.values())
    print(json.dumps({"peak_rss": peak, "data_bytes": data_bytes, "model_bytes": model_bytes}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["cnn"]:  # python benchmarks/memory.py cnn [TRAIN_IMAGES]
        cnn(int(sys.argv[2]) if len(sys.argv) > 2 else 60_000)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
