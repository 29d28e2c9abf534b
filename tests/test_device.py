"""The GPU path, run on a strict CPU stand-in for CuPy (tests/fake_cupy.py).

The stand-in computes with NumPy, so a run on the "device" must equal the CPU
run exactly; what it checks is that the same layer, optimizer and trainer code
runs on device arrays without touching NumPy (CuPy refuses host arrays in device
operations, implicit conversions and NumPy-only options). The real GPU is
tested in test_trainer.py, where CuPy and a GPU are present.
"""

import numpy as np
import pytest

from nnscratch import SGD, Affine, Maxout, Relu, Sequential, mlp
from nnscratch.optim import OPTIMIZERS
from nnscratch.train import DivergenceError, Trainer

from test_cli_training import only_run, run
from test_trainer import blobs


def train(device, make_model, optimizer, epochs=3, **trainer_options):
    x, t = blobs()
    model = make_model()
    history = Trainer(model, optimizer, batch_size=64, seed=0, progress="none", device=device, **trainer_options).fit(
        x, t, epochs, validation_data=blobs(seed=1)
    )
    return model, history


def assert_same_run(cpu, gpu):
    (cpu_model, cpu_history), (gpu_model, gpu_history) = cpu, gpu
    gpu_state = {k: v.get() for k, v in gpu_model.state_arrays().items()}
    for name, value in cpu_model.state_arrays().items():
        np.testing.assert_array_equal(gpu_state[name], value, err_msg=name)
    for a, b in zip(cpu_history, gpu_history, strict=True):
        assert {k: v for k, v in a.items() if k != "seconds"} == {k: v for k, v in b.items() if k != "seconds"}


def every_layer_kind():
    return mlp(6, [16, 8], 3, activation="tanh", seed=0, batchnorm=True, dropout=0.2)


def maxout_net():
    rng = np.random.default_rng(0)
    return Sequential(
        Maxout(rng.normal(size=(3, 6, 8)).astype(np.float32) * 0.3, np.zeros((3, 8), np.float32)),
        Relu(),
        Affine(rng.normal(size=(8, 3)).astype(np.float32) * 0.3, np.zeros(3, np.float32)),
    )


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_trains_on_the_device_as_on_the_cpu(fake_gpu, name):
    cpu = train("cpu", every_layer_kind, OPTIMIZERS[name](lr=0.01))
    gpu = train("gpu", every_layer_kind, OPTIMIZERS[name](lr=0.01))
    assert all(type(v) is fake_gpu.ndarray for v in gpu[0].params.values())  # it really ran on the device
    assert_same_run(cpu, gpu)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "leaky_relu", "elu"])
def test_every_activation_trains_on_the_device(fake_gpu, activation):
    def make():
        return mlp(6, [16], 3, activation=activation, seed=0)

    assert_same_run(train("cpu", make, OPTIMIZERS["sgd"](lr=0.1)), train("gpu", make, OPTIMIZERS["sgd"](lr=0.1)))


def test_maxout_trains_on_the_device(fake_gpu):
    cpu = train("cpu", maxout_net, OPTIMIZERS["sgd"](lr=0.1))
    gpu = train("gpu", maxout_net, OPTIMIZERS["sgd"](lr=0.1))
    assert_same_run(cpu, gpu)


def test_checkpoints_resume_and_early_stopping_on_the_device(fake_gpu, tmp_path):
    options = {"patience": 2, "output_dir": tmp_path / "gpu"}
    straight = train("cpu", every_layer_kind, OPTIMIZERS["adam"](lr=0.05), epochs=6, patience=2)
    train("gpu", every_layer_kind, OPTIMIZERS["adam"](lr=0.05), epochs=2, **options)
    resumed_model = every_layer_kind()
    x, t = blobs()
    history = Trainer(
        resumed_model, OPTIMIZERS["adam"](lr=0.05), batch_size=64, seed=0, progress="none", device="gpu", **options
    ).fit(x, t, 6, validation_data=blobs(seed=1), resume=True)
    assert_same_run(straight, (resumed_model, history))
    with np.load(tmp_path / "gpu" / "model.npz") as saved:
        for name, value in straight[0].state_arrays().items():
            np.testing.assert_array_equal(saved[name], value, err_msg=name)


def test_fit_takes_data_already_on_the_device(fake_gpu):
    x, t = blobs()
    cpu = train("cpu", every_layer_kind, OPTIMIZERS["sgd"](lr=0.1))
    model = every_layer_kind()
    history = Trainer(model, OPTIMIZERS["sgd"](lr=0.1), batch_size=64, seed=0, progress="none", device="gpu").fit(
        fake_gpu.asarray(x), fake_gpu.asarray(t), 3, validation_data=tuple(map(fake_gpu.asarray, blobs(seed=1)))
    )
    assert_same_run(cpu, (model, history))


def test_a_device_model_takes_host_data(fake_gpu):
    x, t = blobs(seed=1)
    model, _ = train("gpu", every_layer_kind, OPTIMIZERS["sgd"](lr=0.1))
    model.eval()
    one_hot = np.eye(3)[t]

    def results():
        return model.accuracy(x, t), model.loss(x, t), model.accuracy(x, one_hot), model.loss(x, one_hot)

    on_device, scores = results(), model.predict(x[:5]).get()
    model.to("cpu")
    assert on_device == results()
    np.testing.assert_array_equal(scores, model.predict(x[:5]))

    plain = mlp(6, [16], 3, seed=0).to("gpu")
    grads = {name: grad.get() for name, grad in plain.gradient(x[:10], t[:10]).items()}
    for name, grad in plain.to("cpu").gradient(x[:10], t[:10]).items():
        np.testing.assert_array_equal(grads[name], grad, err_msg=name)


@pytest.mark.parametrize(
    "command",
    [
        ["mnist", "--epochs", "2"],
        ["iris", "--epochs", "1000", "--print-every", "500"],
        ["xor", "--epochs", "20"],
        ["digits", "--epochs", "2"],
    ],
)
def test_every_training_command_runs_on_the_device(fake_gpu, tmp_path, fake_mnist_dir, capsys, command):
    if command[0] == "mnist":
        command = [*command, "--data-dir", str(fake_mnist_dir)]
    results = {}
    for device in ("cpu", "gpu"):
        code, metrics = run(tmp_path / device, *command, "--device", device)
        assert code == 0
        results[device] = only_run(metrics)
        capsys.readouterr()
    assert results["gpu"]["config"]["device"] == "gpu"
    assert results["gpu"]["final"] == {**results["cpu"]["final"], "seconds": results["gpu"]["final"]["seconds"]}


@pytest.mark.parametrize("reg", [0.0, 1e-3])
def test_a_gpu_epoch_reads_the_device_a_fixed_number_of_times_whatever_its_steps(fake_gpu, reg):
    # Each host read of a device value waits for the GPU; one per step kept a real H100 idle
    # between steps (an epoch took 1.8x PyTorch's at batch 100). The loss, the correct count and
    # the label check now stay on the device until the epoch ends.
    rng = np.random.default_rng(0)
    reads = []
    for n in (400, 1600):  # 10 and 40 steps
        x, t = rng.normal(size=(n, 5)).astype(np.float32), rng.integers(0, 3, n)
        model = mlp(5, [8], 3, seed=0, reg=reg)
        trainer = Trainer(model, SGD(0.1), batch_size=40, seed=0, progress="none", device="gpu")
        fake_gpu.host_reads.clear()
        trainer.fit(x, t, 1)
        reads.append(sum(fake_gpu.host_reads.values()))
    assert reads[0] == reads[1] < 10


def test_a_diverging_gpu_run_is_caught_at_the_end_of_its_epoch(fake_gpu):
    x, t = blobs()
    trainer = Trainer(mlp(6, [16], 3, seed=0), SGD(1e30), batch_size=64, seed=0, progress="none", device="gpu")
    with pytest.raises(DivergenceError, match="at epoch 1, the end of the epoch"):
        trainer.fit(x * 1e10, t, 2)
