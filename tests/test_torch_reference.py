"""Layers, losses and TwoLayerNet against PyTorch autograd, a reference no one here wrote.

Each test builds the same computation in torch from the same float64 arrays,
runs ``backward`` with the same upstream gradient, and compares values and
gradients to 1e-10.
"""

import numpy as np
import pytest

from nnscratch import MSELoss, SoftmaxWithLoss, TwoLayerNet, functional

from layer_registry import LAYERS

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _batchnorm(layer, x, params):
    running_mean, running_var = torch.zeros(x.shape[1], dtype=x.dtype), torch.ones(x.shape[1], dtype=x.dtype)
    out = F.batch_norm(
        x,
        running_mean,
        running_var,
        params["gamma"],
        params["beta"],
        training=True,
        momentum=1 - layer.momentum,
        eps=layer.eps,
    )
    params["running_mean"], params["running_var"] = running_mean, running_var
    return out


def _dropout(layer, x, params):
    # torch draws its own mask; given ours, the rule is the same: out = x * mask, mask in {0, 1/(1-p)}.
    assert set(np.unique(layer.mask)) <= {0.0, 1 / (1 - layer.ratio)}
    return x * torch.tensor(layer.mask)


def _maxout(layer, x, params):
    pieces = torch.einsum("nd,kdm->nkm", x, params["W"]) + params["b"]
    return pieces.max(dim=1).values


# Each registered layer's formula in torch, (layer, x, params) -> out; params may gain buffers.
TORCH_FORMULAS = {
    "Affine": lambda layer, x, p: x.reshape(x.shape[0], -1) @ p["W"] + p["b"],
    "BatchNorm": _batchnorm,
    "Dropout": _dropout,
    "Maxout": _maxout,
    "Relu": lambda layer, x, p: torch.relu(x),
    "Sigmoid": lambda layer, x, p: torch.sigmoid(x),
    "Tanh": lambda layer, x, p: torch.tanh(x),
    "LeakyRelu": lambda layer, x, p: F.leaky_relu(x, negative_slope=layer.alpha),
    "Elu": lambda layer, x, p: F.elu(x, alpha=layer.alpha),
    "Convolution": lambda layer, x, p: F.conv2d(x, p["W"], p["b"], stride=layer.stride, padding=layer.pad),
    "Pooling": lambda layer, x, p: F.max_pool2d(x, (layer.pool_h, layer.pool_w), layer.stride, layer.pad),
    "AvgPooling": lambda layer, x, p: F.avg_pool2d(x, (layer.pool_h, layer.pool_w), layer.stride, layer.pad),
    "Flatten": lambda layer, x, p: x.flatten(1),
}


def torch_forward(name, layer, x):
    """The layer's formula in torch, from the layer's own parameters."""
    if name not in TORCH_FORMULAS:
        pytest.fail(f"layer {name} is registered but has no torch formula in TORCH_FORMULAS; add one")
    params = {key: torch.tensor(value, requires_grad=True) for key, value in layer.params.items()}
    return TORCH_FORMULAS[name](layer, x, params), params


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_matches_torch(name, seed):
    rng = np.random.default_rng(seed)
    layer, x = LAYERS[name](rng)
    out = layer.forward(x)
    dout = rng.standard_normal(out.shape)
    dx = layer.backward(dout)

    x_t = torch.tensor(x, requires_grad=True)
    out_t, params_t = torch_forward(name, layer, x_t)
    out_t.backward(torch.tensor(dout))
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=1e-10, atol=1e-12)
    for key, grad in layer.grads.items():
        np.testing.assert_allclose(grad, params_t[key].grad.numpy(), rtol=1e-10, atol=1e-12)
    for key, buffer in layer.buffers.items():
        np.testing.assert_allclose(buffer, params_t[key].numpy(), rtol=1e-12)


def test_batchnorm_eval_and_dropout_eval_match_torch(rng):
    from nnscratch import BatchNorm, Dropout

    x = rng.standard_normal((5, 4))
    bn = BatchNorm(
        rng.standard_normal(4),
        rng.standard_normal(4),
        running_mean=rng.standard_normal(4),
        running_var=rng.random(4) + 0.5,
    ).eval()
    expected = F.batch_norm(
        torch.tensor(x),
        torch.tensor(bn.running_mean),
        torch.tensor(bn.running_var),
        torch.tensor(bn.gamma),
        torch.tensor(bn.beta),
        training=False,
        eps=bn.eps,
    )
    np.testing.assert_allclose(bn.forward(x), expected.numpy(), rtol=1e-12)
    dropout = torch.nn.Dropout(0.5).eval()
    np.testing.assert_array_equal(Dropout(0.5).eval().forward(x), dropout(torch.tensor(x)).numpy())


@pytest.mark.parametrize("labels", ["integer", "one_hot"])
def test_softmax_with_loss_matches_torch_cross_entropy(labels, rng):
    x = rng.standard_normal((6, 5)) * 4
    t = rng.integers(0, 5, 6)
    target = np.eye(5)[t] if labels == "one_hot" else t
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, target)
    dx = layer.backward()

    x_t = torch.tensor(x, requires_grad=True)
    loss_t = F.cross_entropy(x_t, torch.tensor(target))  # mean over the batch, natural log
    loss_t.backward()
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_mse_loss_matches_torch(rng):
    y, t = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    layer = MSELoss()
    loss = layer.forward(y, t)
    dy = layer.backward()
    y_t = torch.tensor(y, requires_grad=True)
    loss_t = F.mse_loss(y_t, torch.tensor(t))  # mean((y - t)^2) over all elements
    loss_t.backward()
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    np.testing.assert_allclose(dy, y_t.grad.numpy(), rtol=1e-10)


@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_softmax_and_sigmoid_match_torch(scale, rng):
    x = rng.standard_normal((4, 6)) * scale
    np.testing.assert_allclose(functional.softmax(x), torch.softmax(torch.tensor(x), dim=1).numpy(), atol=1e-15)
    np.testing.assert_allclose(functional.sigmoid(x), torch.sigmoid(torch.tensor(x)).numpy(), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("seed", [0, 1])
def test_two_layer_net_matches_torch(activation, seed):
    rng = np.random.default_rng(seed)
    n, d, h, c = int(rng.integers(3, 9)), int(rng.integers(2, 8)), int(rng.integers(2, 12)), int(rng.integers(2, 6))
    reg = 0.05
    net = TwoLayerNet(d, h, c, weight_init_std=0.5, activation=activation, seed=rng, reg=reg)
    for key in ("b1", "b2"):
        net.params[key][...] = rng.standard_normal(net.params[key].shape)
    x, t = rng.standard_normal((n, d)), rng.integers(0, c, n)
    loss, grads = net.loss(x, t), net.gradient(x, t)

    p = {key: torch.tensor(value, requires_grad=True) for key, value in net.params.items()}
    act = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[activation]
    scores = act(torch.tensor(x) @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    # L2 on weights only: 0.5 * reg * (||W1||^2 + ||W2||^2)
    loss_t = F.cross_entropy(scores, torch.tensor(t)) + 0.5 * reg * ((p["W1"] ** 2).sum() + (p["W2"] ** 2).sum())
    loss_t.backward()
    np.testing.assert_allclose(net.predict(x), scores.detach().numpy(), rtol=1e-10, atol=1e-12)
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    for key, grad in grads.items():
        np.testing.assert_allclose(grad, p[key].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=key)
