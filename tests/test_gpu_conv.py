"""The convolutional layers on a real GPU (CuPy and a CUDA device); skipped elsewhere.

``test_conv_models.py`` runs them on the strict CPU stand-in of ``fake_cupy.py`` on every run,
which catches host arrays in device operations and NumPy-only calls. What only a real device
shows is whether CuPy's kernels (its strided views, in-place ufuncs with ``out=``, boolean
masks, cuBLAS products) give the CPU's numbers: these tests compare the two in float64.
"""

import numpy as np
import pytest

from nnscratch import SGD, AvgPooling, Convolution, Flatten, Pooling, convnet
from nnscratch.train import Trainer
from test_conv_models import images

cupy = pytest.importorskip("cupy")
try:
    cupy.cuda.runtime.getDeviceCount()
except cupy.cuda.runtime.CUDARuntimeError:
    pytest.skip("CuPy finds no GPU", allow_module_level=True)


def conv(stride, pad, shape=(4, 3, 3, 2)):
    def make():
        rng = np.random.default_rng(1)
        return Convolution(rng.standard_normal(shape), rng.standard_normal(shape[0]), stride=stride, pad=pad)

    return make


LAYERS = {
    "conv stride 1 pad 1, 3x2 filter": (conv(1, 1), (3, 3, 9, 8)),
    "conv stride 2 pad 0, odd size": (conv(2, 0), (3, 3, 9, 7)),
    "max pool 2x2 side by side (views)": (lambda: Pooling(2, 2, stride=2), (3, 4, 8, 6)),
    "max pool 3x3 stride 2 pad 1 (overlapping)": (lambda: Pooling(3, 3, stride=2, pad=1), (3, 4, 9, 7)),
    "avg pool 2x2 stride 1": (lambda: AvgPooling(2, 2, stride=1), (3, 4, 7, 6)),
    "flatten": (lambda: Flatten(), (3, 4, 5, 6)),
}


@pytest.mark.parametrize("name", LAYERS)
def test_each_conv_layer_gives_the_cpus_forward_and_gradients_on_the_gpu(name):
    make, shape = LAYERS[name]
    rng = np.random.default_rng(2)
    x = rng.standard_normal(shape)
    results = {}
    for device in ("cpu", "gpu"):
        layer = make()
        xp = cupy if device == "gpu" else np
        if device == "gpu":
            for key, value in vars(layer).items():
                if isinstance(value, np.ndarray):
                    setattr(layer, key, cupy.asarray(value))
        out = layer.forward(xp.asarray(x))
        dout = xp.asarray(np.random.default_rng(3).standard_normal(out.shape))
        dx = layer.backward(dout)
        grads = {key: getattr(layer, key) for key in ("dW", "db") if getattr(layer, key, None) is not None}
        results[device] = {"out": out, "dx": dx, **grads}
    assert type(results["gpu"]["out"]) is cupy.ndarray  # it really ran on the device
    for key, value in results["cpu"].items():
        np.testing.assert_allclose(results["gpu"][key].get(), value, rtol=1e-12, atol=1e-12, err_msg=key)


def test_a_convnet_trains_on_the_gpu_as_on_the_cpu():
    x, t = images(n=120, dtype=np.float64)

    def run(device):
        model = convnet((1, 10, 9), conv=[(4, 3), (6, 3)], hidden_sizes=[12], output_size=3, seed=0, dtype="float64")
        history = Trainer(model, SGD(lr=0.05), batch_size=20, seed=0, progress="none", device=device).fit(
            x, t, 2, validation_data=(x, t)
        )
        return model.to("cpu").state_arrays(), history

    (cpu_state, cpu_history), (gpu_state, gpu_history) = run("cpu"), run("gpu")
    for name, value in cpu_state.items():
        np.testing.assert_allclose(gpu_state[name], value, rtol=1e-9, atol=1e-12, err_msg=name)
    for a, b in zip(cpu_history, gpu_history, strict=True):
        assert b["loss"] == pytest.approx(a["loss"], rel=1e-9)
        assert b["test_accuracy"] == a["test_accuracy"]
