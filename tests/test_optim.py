"""Optimizers: each rule restated and checked by hand, then against torch.optim over 10 steps."""

import numpy as np
import pytest

from nnscratch import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop, TwoLayerNet
from nnscratch.optim import OPTIMIZERS, CosineAnnealing, ExponentialDecay, StepDecay
from nnscratch.optim.base import BLOCK, subtract_scaled


def test_sgd_step_by_hand():
    p, g = {"w": np.array([1.0, -2.0])}, {"w": np.array([0.5, 0.5])}
    SGD(lr=0.1).update(p, g)
    np.testing.assert_allclose(p["w"], [0.95, -2.05])  # p - lr * g


def test_momentum_two_steps_by_hand():
    p, g = {"w": np.array([1.0])}, {"w": np.array([1.0])}
    opt = Momentum(lr=0.1, momentum=0.9)
    opt.update(p, g)  # v = 1;           p = 1 - 0.1 * 1 = 0.9
    opt.update(p, g)  # v = 0.9 + 1 = 1.9; p = 0.9 - 0.19 = 0.71
    np.testing.assert_allclose(p["w"], [0.71])


def test_adam_first_step_is_lr_times_sign():
    # After one step m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps).
    p, g = {"w": np.array([1.0, 1.0])}, {"w": np.array([3.0, -0.2])}
    Adam(lr=0.01).update(p, g)
    np.testing.assert_allclose(p["w"], [0.99, 1.01], rtol=1e-7)


def test_adagrad_and_rmsprop_by_hand():
    p, g = {"w": np.array([1.0])}, {"w": np.array([2.0])}
    AdaGrad(lr=0.1, eps=0.0).update(p, g)  # sum = 4; p = 1 - 0.1 * 2 / 2
    np.testing.assert_allclose(p["w"], [0.9])
    p = {"w": np.array([1.0])}
    RMSprop(lr=0.1, decay_rate=0.75, eps=0.0).update(p, g)  # mean_sq = 0.25 * 4 = 1; p = 1 - 0.1 * 2 / 1
    np.testing.assert_allclose(p["w"], [0.8])


torch_cases = [
    ("sgd", {"lr": 0.1}, "SGD", {"lr": 0.1}),
    ("momentum", {"lr": 0.1, "momentum": 0.9}, "SGD", {"lr": 0.1, "momentum": 0.9}),
    ("nesterov", {"lr": 0.1, "momentum": 0.8}, "SGD", {"lr": 0.1, "momentum": 0.8, "nesterov": True}),
    ("adagrad", {"lr": 0.1, "eps": 1e-10}, "Adagrad", {"lr": 0.1, "eps": 1e-10}),
    ("rmsprop", {"lr": 0.01, "decay_rate": 0.9, "eps": 1e-8}, "RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-8}),
    ("adam", {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-8}, "Adam", {"lr": 0.01, "betas": (0.8, 0.99)}),
    ("momentum", {"lr": 0.1, "weight_decay": 0.01}, "SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}),
    ("adam", {"lr": 0.01, "weight_decay": 0.1}, "Adam", {"lr": 0.01, "weight_decay": 0.1}),
]


def gradient(p, step, noise):
    """A gradient that depends on the current parameters and changes sign: state matters."""
    return p**3 - np.sin(p) + noise[step]


@pytest.mark.parametrize("steps", [1, 10])
@pytest.mark.parametrize(("ours", "kwargs", "theirs", "torch_kwargs"), torch_cases)
def test_matches_torch_optim(ours, kwargs, theirs, torch_kwargs, steps, rng):
    torch = pytest.importorskip("torch")
    start = rng.standard_normal((3, 4))
    noise = rng.standard_normal((steps, 3, 4))
    params = {"w": start.copy()}
    optimizer = OPTIMIZERS[ours](**kwargs)
    p_t = torch.tensor(start.copy(), requires_grad=True)
    optimizer_t = getattr(torch.optim, theirs)([p_t], **torch_kwargs)
    for step in range(steps):
        optimizer.update(params, {"w": gradient(params["w"], step, noise)})
        p_t.grad = torch.tensor(gradient(p_t.detach().numpy(), step, noise))
        optimizer_t.step()
    np.testing.assert_allclose(params["w"], p_t.detach().numpy(), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_saves_and_loads(name, rng):
    x, t = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    net_a = TwoLayerNet(4, 5, 3, seed=0, weight_init_std=0.5)
    opt_a = OPTIMIZERS[name](lr=0.05)
    for _ in range(3):
        opt_a.update(net_a.params, net_a.gradient(x, t))
    net_b = TwoLayerNet(4, 5, 3, seed=1)
    for key in net_b.params:
        net_b.params[key][...] = net_a.params[key]
    opt_b = OPTIMIZERS[name](lr=1.0)
    opt_b.load_state_dict(opt_a.state_dict())
    assert opt_b.lr == 0.05
    for _ in range(3):
        opt_a.update(net_a.params, net_a.gradient(x, t))
        opt_b.update(net_b.params, net_b.gradient(x, t))
    for key in net_a.params:
        np.testing.assert_array_equal(net_a.params[key], net_b.params[key])


def test_optimizer_works_with_the_book_loop(rng):
    x, t = rng.standard_normal((30, 4)), rng.integers(0, 3, 30)
    net = TwoLayerNet(4, 10, 3, seed=0, weight_init_std=0.5)
    first = net.loss(x, t)
    optimizer = Adam(lr=0.05)
    for _ in range(100):
        optimizer.update(net.params, net.gradient(x, t))
    assert net.loss(x, t) < 0.5 * first


def test_schedules():
    assert ExponentialDecay(0.95)(2, 1.0) == pytest.approx(0.9025)
    assert [StepDecay(2, 0.5)(e, 1.0) for e in range(5)] == [1.0, 1.0, 0.5, 0.5, 0.25]
    cosine = CosineAnnealing(10, min_lr=0.1)
    assert cosine(0, 1.0) == pytest.approx(1.0)
    assert cosine(5, 1.0) == pytest.approx(0.55)
    assert cosine(10, 1.0) == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SGD(lr=0), "lr must be > 0, got 0"),
        (lambda: Momentum(momentum=1.5), r"momentum must be in \[0, 1\), got 1.5"),
        (lambda: Adam(beta2=1.0), r"beta2 must be in \[0, 1\), got 1.0"),
        (lambda: Nesterov(weight_decay=-1), "weight_decay must be >= 0, got -1"),
    ],
)
def test_bad_hyperparameters(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_one_optimizer_on_two_models_is_refused_not_shared(rng):
    x, t = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    net_a, net_b = TwoLayerNet(4, 5, 3, seed=0), TwoLayerNet(4, 5, 3, seed=1)  # the same parameter names
    optimizer = Momentum(lr=0.1)
    optimizer.update(net_a.params, net_a.gradient(x, t))
    before = {key: value.copy() for key, value in net_b.params.items()}
    with pytest.raises(ValueError, match=r"'W1' is a different array.*make one optimizer per model"):
        optimizer.update(net_b.params, net_b.gradient(x, t))
    for key, value in net_b.params.items():  # nothing was changed before the refusal
        np.testing.assert_array_equal(value, before[key])
    with pytest.raises(ValueError, match="it has no state for 'w'"):
        optimizer.update({"w": np.zeros(2)}, {"w": np.zeros(2)})
    optimizer.update(net_a.params, net_a.gradient(x, t))  # its own model still trains
    assert optimizer.steps == 2


def test_state_dict_is_a_dict_and_load_validates(rng):
    x, t = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    net = TwoLayerNet(4, 5, 3, seed=0)
    adam = Adam(lr=0.01)
    adam.update(net.params, net.gradient(x, t))
    state = adam.state_dict()
    assert isinstance(state, dict) and set(state) == {"class", "hyperparameters", "steps", "arrays"}
    assert state["hyperparameters"] == {"lr": 0.01, "weight_decay": 0.0, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    assert sorted(state["arrays"]) == sorted(f"{k}/{s}" for k in net.params for s in ("m", "v"))
    bad = [
        ({**state, "class": "SGD"}, "optimizer state is for SGD, not Adam"),
        ({**state, "hyperparameters": {**state["hyperparameters"], "beta1": 1.5}}, r"beta1 must be in \[0, 1\)"),
        ({**state, "hyperparameters": {"lr": 0.1}}, "Adam hyperparameters are"),
        ({**state, "steps": -1}, "steps must be an integer >= 0"),
        ({**state, "arrays": {"W1/velocity": np.zeros((4, 5))}}, "slot of optimizer state 'W1/velocity'"),
        ({**state, "arrays": {"W1/m": np.zeros((4, 5))}}, r"has slots \['m'\], expected \['m', 'v'\]"),
        ((1, 2), "state must be the dict state_dict"),
    ]
    fresh = Adam()
    for broken, message in bad:
        with pytest.raises(ValueError, match=message):
            fresh.load_state_dict(broken)
    assert fresh.lr == 0.001 and fresh.steps == 0  # a refused load changes nothing
    fresh.load_state_dict(state)
    other = TwoLayerNet(4, 6, 3, seed=0)  # the loaded state does not fit these shapes
    with pytest.raises(ValueError, match=r"loaded state W1/m has shape \(4, 5\), but W1 has \(4, 6\)"):
        fresh.update(other.params, other.gradient(x, t))


def test_hyperparameters_are_declared_once_per_class():
    assert Momentum.all_hyperparameter_ranges().keys() == {"lr", "weight_decay", "momentum"}
    assert Nesterov.all_hyperparameter_ranges() == Momentum.all_hyperparameter_ranges()
    for name, cls in OPTIMIZERS.items():
        optimizer = cls(lr=0.5)
        assert optimizer.hyperparameters().keys() == cls.all_hyperparameter_ranges().keys(), name
        assert repr(optimizer).startswith(f"{cls.__name__}(lr=0.5, weight_decay=0.0")
    with pytest.raises(TypeError, match=r"lr must be a number > 0, got 'fast'"):
        SGD(lr="fast")


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adam"])
def test_a_step_allocates_no_parameter_sized_temporaries(name):
    # Parameter-sized temporaries every step made the default Fashion-MNIST run (Adam, a 784 x 1024
    # weight) 1.7x slower whenever the allocator returned their pages to the system between steps.
    import tracemalloc

    from nnscratch.optim import OPTIMIZERS

    rng = np.random.default_rng(0)
    params = {"W": rng.normal(size=(256, 128)).astype(np.float32)}
    grads = {"W": rng.normal(size=(256, 128)).astype(np.float32)}
    optimizer = OPTIMIZERS[name](1e-3)
    optimizer.update(params, grads)  # the first step makes the state and the scratch arrays
    tracemalloc.start()
    optimizer.update(params, grads)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < params["W"].nbytes / 4


@pytest.mark.parametrize("size", [10, BLOCK, BLOCK + 1, 3 * BLOCK + 17])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_subtract_scaled_gives_the_one_line_update_bit_for_bit(size, dtype, rng):
    param = rng.standard_normal((size, 1)).astype(dtype)
    grad = rng.standard_normal(param.shape).astype(dtype)
    expected = param - grad * 0.1  # what SGD wrote before: lr * grad as a whole array
    subtract_scaled(param, grad, 0.1, np.empty_like(param))
    np.testing.assert_array_equal(param, expected)
    assert param.dtype == dtype


def test_subtract_scaled_takes_a_gradient_that_is_not_contiguous(rng):
    param = rng.standard_normal((BLOCK + 5, 2))
    grad = np.asfortranarray(rng.standard_normal(param.shape))
    expected = param - 0.5 * grad
    subtract_scaled(param, grad, 0.5, np.empty_like(param))
    np.testing.assert_array_equal(param, expected)
