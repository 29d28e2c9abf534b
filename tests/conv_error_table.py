"""Print the largest errors the convolution tests allow, measured: ``python tests/conv_error_table.py``.

Per layer, over the geometry matrix of test_conv.py (float64): the largest relative error of
backprop against central differences (the tests require < 1e-7), and the largest absolute
difference from PyTorch in the output and every gradient (the tests require < 1e-10).
"""

import numpy as np

from nnscratch import AvgPooling, Convolution, Pooling, gradcheck
from test_conv import GEOMETRIES, _layer_checks, _torch_layer_errors
from test_conv_models import images, small_net


def layers_and_formulas(shape, window, stride, pad, rng):
    conv = Convolution(rng.standard_normal((3, shape[1], *window)), rng.standard_normal(3), stride, pad)
    pool_pad = min(pad, min(window) // 2)
    return {
        "Convolution": (conv, lambda F, x, p: F.conv2d(x, p["W"], p["b"], stride=stride, padding=pad)),
        "Pooling": (Pooling(*window, stride, pool_pad), lambda F, x, p: F.max_pool2d(x, window, stride, pool_pad)),
        "AvgPooling": (
            AvgPooling(*window, stride, pool_pad),
            lambda F, x, p: F.avg_pool2d(x, window, stride, pool_pad),
        ),
    }


def main(seeds=(0, 1, 2)):
    worst = {}
    for seed in seeds:
        for shape, window, stride, pad in GEOMETRIES:
            rng = np.random.default_rng(seed)
            x = rng.standard_normal(shape)
            for name, (layer, formula) in layers_and_formulas(shape, window, stride, pad, rng).items():
                numeric = max(_layer_checks(layer, x, rng).values())
                torch_error = max(_torch_layer_errors(layer, formula, x, rng).values())
                old = worst.get(name, (0.0, 0.0))
                worst[name] = (max(old[0], numeric), max(old[1], torch_error))
    print(f"{len(GEOMETRIES)} geometries x {len(seeds)} seeds, float64")
    print(f"{'layer':<12} {'max rel. error vs central differences':>38} {'max abs. error vs PyTorch':>27}")
    for name, (numeric, torch_error) in worst.items():
        print(f"{name:<12} {numeric:38.2e} {torch_error:27.2e}")
    nets = [small_net(weight_init_std=0.3, seed=seed) for seed in seeds]
    x, t = images(n=4, seed=1, dtype=np.float64)
    worst_net = max(gradcheck(net, x, t, h=1e-5).worst for net in nets)
    print(f"SimpleConvNet (gradcheck, h=1e-5, {len(seeds)} seeds): max rel. error {worst_net:.2e}")


if __name__ == "__main__":
    main()
