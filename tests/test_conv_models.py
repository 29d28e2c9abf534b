"""SimpleConvNet and convnet: the book's names, gradients, PyTorch, the Trainer, saving, the device."""

import numpy as np
import pytest

from nnscratch import (
    SGD,
    Adam,
    Affine,
    AvgPooling,
    Convolution,
    Flatten,
    Pooling,
    Relu,
    Sequential,
    SimpleConvNet,
    convnet,
    gradcheck,
)
from nnscratch.train import Trainer


def images(n=240, shape=(1, 10, 9), classes=3, seed=0, dtype=np.float32):
    """Noisy images whose class is the brightest of ``classes`` horizontal bands."""
    rng = np.random.default_rng(seed)
    t = rng.integers(0, classes, n)
    x = rng.standard_normal((n, *shape))
    band = shape[1] // classes
    for k in range(classes):
        x[t == k, :, k * band : (k + 1) * band] += 1.5
    return x.astype(dtype), t


def small_net(**options):
    return SimpleConvNet(
        input_dim=(1, 10, 9),
        conv_param={"filter_num": 4, "filter_size": 3, "pad": 1, "stride": 1},
        hidden_size=12,
        output_size=3,
        **options,
    )


def test_simple_conv_net_has_the_books_parameters():
    net = SimpleConvNet(seed=0)
    shapes = {key: value.shape for key, value in net.params.items()}
    # 28 - 5 + 1 = 24 output positions a side, pooled 2x2 to 12: 30 * 12 * 12 = 4320 features.
    assert shapes == {"W1": (30, 1, 5, 5), "b1": (30,), "W2": (4320, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)}
    assert net.params["W1"].std() == pytest.approx(0.01, rel=0.1)
    assert net.params["W1"].dtype == np.float64
    assert net.conv_param == {"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1}


def test_simple_conv_net_gradient_matches_its_numerical_gradient():
    net = small_net(weight_init_std=0.3, seed=3)
    x, t = images(n=4, seed=1, dtype=np.float64)
    report = gradcheck(net, x, t, h=1e-5)
    assert report.worst < 1e-7, str(report)
    numeric = net.numerical_gradient(x[:2], t[:2])
    analytic = net.gradient(x[:2], t[:2])
    assert list(numeric) == list(analytic) == ["W1", "b1", "W2", "b2", "W3", "b3"]


def test_simple_conv_net_matches_torch(rng):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    net = small_net(weight_init_std=0.3, seed=0, reg=0.01)
    for key in ("b1", "b2", "b3"):
        net.params[key][...] = rng.standard_normal(net.params[key].shape)
    x, t = images(n=5, seed=2, dtype=np.float64)
    loss, grads = net.loss(x, t), net.gradient(x, t)

    p = {key: torch.tensor(value, requires_grad=True) for key, value in net.params.items()}
    hidden = F.max_pool2d(torch.relu(F.conv2d(torch.tensor(x), p["W1"], p["b1"], padding=1)), 2, 2)
    scores = torch.relu(hidden.flatten(1) @ p["W2"] + p["b2"]) @ p["W3"] + p["b3"]
    loss_t = F.cross_entropy(scores, torch.tensor(t)) + 0.005 * sum((p[k] ** 2).sum() for k in ("W1", "W2", "W3"))
    loss_t.backward()
    np.testing.assert_allclose(net.predict(x), scores.detach().numpy(), rtol=1e-10, atol=1e-12)
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    for key, grad in grads.items():
        np.testing.assert_allclose(grad, p[key].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=key)


def test_simple_conv_net_learns_with_the_trainer_and_the_books_loop():
    x, t = images()
    net = small_net(weight_init_std=0.1, seed=0, dtype=np.float32)
    Trainer(net, Adam(lr=0.01), batch_size=30, seed=0, progress="none").fit(x, t, 8)
    x_test, t_test = images(seed=1)
    assert net.accuracy(x_test, t_test) > 0.9
    # In batches (the book's batch_size), the same fraction as all at once, with labels or one-hot.
    all_at_once = float((net.predict(x_test).argmax(axis=1) == t_test).mean())
    assert net.accuracy(x_test, t_test, batch_size=7) == pytest.approx(all_at_once, abs=1e-12)
    assert net.accuracy(x_test, np.eye(3)[t_test], batch_size=50) == pytest.approx(all_at_once, abs=1e-12)
    # The book's loop: gradient(), then params[key] -= lr * grad, on the same net.
    book = small_net(weight_init_std=0.1, seed=0)
    before = book.loss(x, t)
    for start in range(0, 240, 30):
        grads = book.gradient(x[start : start + 30], t[start : start + 30])
        for key in book.params:
            book.params[key] -= 0.1 * grads[key]
    assert book.loss(x, t) < before


def test_simple_conv_net_checks_its_arguments():
    with pytest.raises(ValueError, match="unknown key.*'filters'"):
        SimpleConvNet(conv_param={"filters": 3})
    with pytest.raises(ValueError, match=r"input_dim must be \(C, H, W\)"):
        SimpleConvNet(input_dim=(28, 28))
    with pytest.raises(ValueError, match=r"5x5 window does not fit.*\(1, 1, 4, 4\)"):
        SimpleConvNet(input_dim=(1, 4, 4))
    with pytest.raises(ValueError, match="too small to pool"):
        SimpleConvNet(input_dim=(1, 5, 9))


def test_convnet_builds_conv_blocks_then_mlps_layers():
    model = convnet((3, 16, 12), conv=[(8, 3), (16, 5)], hidden_sizes=[32, 16], output_size=4, seed=0, dropout=0.1)
    names = [type(layer).__name__ for layer in model.layers]
    block = ["Convolution", "Relu", "Pooling"]
    dense = ["Affine", "Relu", "Dropout"]
    assert names == [*block, *block, "Flatten", *dense, *dense, "Affine"]
    assert model.layers[3].W.shape == (16, 8, 5, 5)
    assert model.layers[7].W.shape == (16 * 4 * 3, 32)  # 16x12 pooled twice: 4x3
    # He initialisation by fan-in: C * FH * FW for a convolution.
    assert model.layers[3].W.std() == pytest.approx(np.sqrt(2 / (8 * 25)), rel=0.1)
    assert model.predict(np.zeros((2, 3, 16, 12), np.float32)).shape == (2, 4)
    assert model.dtype == np.float32


def test_convnet_gradients_match_numerical_gradients(rng):
    model = convnet((2, 9, 8), conv=[(3, 3), (4, 5)], hidden_sizes=[6], output_size=3, activation="tanh", seed=0)
    report = gradcheck(model, rng.standard_normal((4, 2, 9, 8)), np.array([0, 1, 2, 1]), h=1e-5)
    assert report.worst < 1e-7, str(report)


def test_convnet_trains_and_round_trips_through_a_file(tmp_path):
    x, t = images()
    model = convnet((1, 10, 9), conv=[(4, 3)], hidden_sizes=[16], output_size=3, seed=0, batchnorm=True)
    Trainer(model, Adam(lr=0.01), batch_size=40, seed=0, progress="none").fit(x, t, 6)
    assert model.accuracy(*images(seed=1)) > 0.9
    loaded = Sequential.from_file(model.save(tmp_path / "convnet.npz"))
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"conv": [(8,)]}, r"pair \(filter_num, filter_size\), got \(8,\)"),
        ({"conv": [(8, 0)]}, "conv filter_size must be a positive integer, got 0"),
        ({"input_shape": (28, 28)}, r"input_shape must be \(C, H, W\)"),
        ({"input_shape": (1, 3, 3), "conv": [(4, 3)], "pool": 4}, r"4x4 window does not fit"),
    ],
)
def test_convnet_checks_its_arguments(options, message):
    with pytest.raises((ValueError, TypeError), match=message):
        convnet(**options)


@pytest.mark.parametrize("pool", [(3, 3, 2, 1), (2, 2, 2, 0)], ids=["overlapping", "side-by-side"])
def test_conv_layers_train_on_the_device_as_on_the_cpu(fake_gpu, pool):
    x, t = images(n=60)

    def run(device):
        rng = np.random.default_rng(0)
        model = Sequential(
            Convolution(rng.normal(size=(4, 1, 3, 3)).astype(np.float32) * 0.3, np.zeros(4, np.float32), pad=1),
            Relu(),
            Pooling(*pool),
            Convolution(rng.normal(size=(3, 4, 2, 2)).astype(np.float32) * 0.3, np.zeros(3, np.float32), stride=2),
            AvgPooling(2, 1),
            Flatten(),
            Affine(rng.normal(size=(6, 3)).astype(np.float32) * 0.3, np.zeros(3, np.float32)),
        )
        history = Trainer(model, SGD(lr=0.05), batch_size=20, seed=0, progress="none", device=device).fit(x, t, 2)
        return model, history

    cpu_model, cpu_history = run("cpu")
    gpu_model, gpu_history = run("gpu")
    assert all(type(v) is fake_gpu.ndarray for v in gpu_model.params.values())  # it really ran on the device
    gpu_state = {name: value.get() for name, value in gpu_model.state_arrays().items()}
    for name, value in cpu_model.state_arrays().items():
        np.testing.assert_array_equal(gpu_state[name], value, err_msg=name)
    for a, b in zip(cpu_history, gpu_history, strict=True):
        assert {k: v for k, v in a.items() if k != "seconds"} == {k: v for k, v in b.items() if k != "seconds"}


def test_a_convnets_first_convolution_computes_no_input_gradient_but_a_direct_call_does(monkeypatch):
    net = small_net(seed=0)
    x, t = images(n=6)
    conv = net.layers[0]
    calls = []

    def no_col2im(*args, **kwargs):
        calls.append(args[0].shape)
        raise AssertionError("col2im ran for the first layer, whose input is data")

    monkeypatch.setattr("nnscratch.layers.conv.col2im_t", no_col2im)
    net.loss_and_grads(x, t)
    assert conv.dW is not None and not calls
    monkeypatch.undo()
    assert conv.backward(np.ones_like(conv.forward(x))).shape == x.shape
