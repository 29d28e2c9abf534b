"""The Trainer: epochs, progress, divergence, early stopping, checkpoints and exact resume."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from nnscratch import SGD, Adam, mlp
from nnscratch.data.batching import BatchGatherer
from nnscratch.train import DivergenceError, Trainer
from nnscratch.train import checkpoint as ckpt


def blobs(n=400, d=6, classes=3, seed=0):
    """Separable Gaussian blobs, float32."""
    rng = np.random.default_rng(seed)
    t = rng.integers(0, classes, n)
    centers = rng.standard_normal((classes, d)) * 3
    return (centers[t] + rng.standard_normal((n, d))).astype(np.float32), t


def make(seed=0, dropout=0.0, lr=0.01, optimizer=Adam):
    return mlp(6, [16], 3, seed=seed, dropout=dropout), optimizer(lr=lr)


def test_fit_learns_and_reports_history(capsys):
    x, t = blobs()
    model, opt = make()
    history = Trainer(model, opt, batch_size=32, seed=0, progress="lines").fit(x, t, 5, validation_data=blobs(seed=0))
    assert [r["epoch"] for r in history] == [1, 2, 3, 4, 5]
    assert set(history[0]) == {"epoch", "loss", "train_accuracy", "test_accuracy", "seconds", "lr"}
    assert history[-1]["loss"] < history[0]["loss"] and history[-1]["test_accuracy"] > 0.9
    out = capsys.readouterr().out
    assert "Epoch 5/5 - " in out and " - loss: " in out and "test_accuracy: " in out
    assert model.dtype == np.float32  # float32 by default, even from float64 input


def test_an_epoch_visits_every_sample_once():
    x = np.arange(10, dtype=np.float32)[:, None]
    gatherer = BatchGatherer(x, np.arange(10), batch_size=4)
    order = np.random.default_rng(0).permutation(10)
    seen = np.concatenate([t.copy() for _, t in gatherer.batches(order)])
    assert sorted(seen.tolist()) == list(range(10)) and len(gatherer) == 3
    assert seen.tolist() == order.tolist()


def test_same_seed_same_weights():
    x, t = blobs()
    results = []
    for _ in range(2):
        model, opt = make(dropout=0.2)
        Trainer(model, opt, batch_size=50, seed=3, progress="none").fit(x, t, 3)
        results.append(model.state_arrays())
    for key in results[0]:
        np.testing.assert_array_equal(results[0][key], results[1][key])


def test_divergence_stops_with_advice():
    x, t = blobs()
    x[:, 0] *= 1e4
    model, _ = make()
    with pytest.raises(DivergenceError, match=r"try a smaller learning rate \(now 1e\+06\)"):
        Trainer(model, SGD(lr=1e6), batch_size=50, progress="none").fit(x, t, 5)


def test_early_stopping_restores_the_best_weights():
    x, t = blobs()
    x_val, _ = blobs(n=60, seed=1)
    t_val = np.random.default_rng(5).integers(0, 3, 60)  # noise: validation accuracy wanders
    model, opt = make(lr=0.05)
    trainer = Trainer(model, opt, batch_size=20, seed=0, patience=2, progress="none")
    history = trainer.fit(x, t, 50, validation_data=(x_val, t_val))
    assert len(history) < 50
    best = max(r["test_accuracy"] for r in history)
    assert model.accuracy(x_val, t_val) == pytest.approx(best)


@pytest.mark.parametrize(
    ("x", "t", "message"),
    [
        (np.full((4, 6), np.nan), np.zeros(4, int), "x contains 24 NaN"),
        (np.zeros((4, 6)), np.array([0, 1, 2, 3]), r"t must hold class indices in \[0, 2\], got values from 0 to 3"),
        (np.zeros((4, 6)), np.zeros(3, int), "t has 3 labels but the scores have 4 rows"),
        (np.zeros((4, 5)), np.zeros(4, int), r"expects 6 input features, got an array of shape \(1, 5\)"),
        (np.zeros(4), np.zeros(4, int), r"x must have shape \(N, D\)"),
    ],
)
def test_bad_data_is_stopped_at_the_door(x, t, message):
    model, opt = make()
    with pytest.raises(ValueError, match=message):
        Trainer(model, opt, progress="none").fit(x, t, 1)


def test_bad_trainer_arguments():
    model, opt = make()
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        Trainer(model, opt, batch_size=0)
    with pytest.raises(ValueError, match="patience .* needs validation_data"):
        Trainer(model, opt, patience=3, progress="none").fit(*blobs(), 2)


def test_checkpoints_are_npz_and_json_without_pickle(tmp_path):
    x, t = blobs()
    model, opt = make()
    Trainer(model, opt, batch_size=50, seed=0, output_dir=tmp_path, keep_checkpoints=2, progress="none").fit(x, t, 4)
    names = sorted(p.name for p in (tmp_path / "checkpoints").iterdir())
    assert names == ["epoch-0003.json", "epoch-0003.npz", "epoch-0004.json", "epoch-0004.npz"]
    info = json.loads((tmp_path / "checkpoints" / "epoch-0004.json").read_text())
    assert info["epoch"] == 4 and len(info["history"]) == 4 and info["optimizer"]["steps"] == 32
    with np.load(tmp_path / "checkpoints" / "epoch-0004.npz", allow_pickle=False) as archive:
        assert "model/layers.0.W" in archive.files and "optim/layers.0.W/m" in archive.files
    np.testing.assert_array_equal(np.load(tmp_path / "model.npz")["layers.0.W"], model.params["layers.0.W"])


def test_resume_ends_bit_identical_to_an_uninterrupted_run(tmp_path):
    x, t = blobs()
    model_a, opt_a = make(dropout=0.3)
    Trainer(model_a, opt_a, batch_size=32, seed=7, progress="none").fit(x, t, 4)

    model_b, opt_b = make(dropout=0.3)
    Trainer(model_b, opt_b, batch_size=32, seed=7, output_dir=tmp_path, progress="none").fit(x, t, 2)
    model_c, opt_c = make(seed=99, dropout=0.3, lr=1.0)  # wrong on purpose: the checkpoint must override
    history = Trainer(model_c, opt_c, batch_size=32, seed=123, output_dir=tmp_path, progress="none").fit(
        x, t, 4, resume=True
    )
    assert [r["epoch"] for r in history] == [1, 2, 3, 4]
    for key, value in model_a.state_arrays().items():
        np.testing.assert_array_equal(value, model_c.state_arrays()[key])


def test_damaged_checkpoint_falls_back_to_the_previous_one(tmp_path):
    x, t = blobs()
    model, opt = make()
    Trainer(model, opt, batch_size=50, seed=0, output_dir=tmp_path, progress="none").fit(x, t, 3)
    newest = tmp_path / "checkpoints" / "epoch-0003.npz"
    newest.write_bytes(newest.read_bytes()[:-20])
    with pytest.warns(UserWarning, match="epoch-0003.npz is damaged"):
        found = ckpt.load_latest(tmp_path / "checkpoints")
    assert found.epoch == 2
    for path in (tmp_path / "checkpoints").glob("*.npz"):
        path.write_bytes(b"junk")
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="no usable checkpoint"):
        ckpt.load_latest(tmp_path / "checkpoints")


SCRIPT = """
import sys, time
import numpy as np
from nnscratch import Adam, mlp
from nnscratch.train import Trainer
rng = np.random.default_rng(0)
t = rng.integers(0, 3, 3000)
x = (rng.standard_normal((3, 20))[t] * 2 + rng.standard_normal((3000, 20))).astype(np.float32)
model = mlp(20, [64, 32], 3, seed=1, dropout=0.2)
slow = lambda record, trainer: time.sleep(float(sys.argv[2]))
Trainer(model, Adam(0.01), batch_size=64, seed=2, output_dir=sys.argv[1], progress="none",
        on_epoch_end=slow).fit(x, t, 6, resume=True)
"""


def test_sigkill_then_resume_matches_an_uninterrupted_run(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, str(script), str(tmp_path / "straight"), "0"], check=True, env=env)

    killed = tmp_path / "killed"
    process = subprocess.Popen([sys.executable, str(script), str(killed), "0.5"], env=env)
    deadline = time.monotonic() + 60
    while not (killed / "checkpoints" / "epoch-0003.json").exists():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not (killed / "model.npz").exists()  # it really died before the end
    subprocess.run([sys.executable, str(script), str(killed), "0"], check=True, env=env)

    with np.load(tmp_path / "straight" / "model.npz") as a, np.load(killed / "model.npz") as b:
        for name in a.files:
            np.testing.assert_array_equal(a[name], b[name])


def test_gpu_device_without_cupy_is_a_clear_error():
    try:
        import cupy  # noqa: F401
    except ImportError:
        model, opt = make()
        with pytest.raises(RuntimeError, match="device='gpu' needs CuPy"):
            Trainer(model, opt, device="gpu")
    else:
        pytest.skip("CuPy is installed")


def test_gpu_training_matches_cpu_within_float32_tolerance():
    cupy = pytest.importorskip("cupy")
    try:
        cupy.cuda.runtime.getDeviceCount()
    except cupy.cuda.runtime.CUDARuntimeError:
        pytest.skip("no GPU")
    x, t = blobs()
    results = {}
    for device in ("cpu", "gpu"):
        model, opt = make(lr=0.01)
        history = Trainer(model, opt, batch_size=50, seed=0, progress="none", device=device).fit(
            x, t, 2, validation_data=(x, t)
        )
        results[device] = (model.to("cpu").state_arrays(), history)
    for key, value in results["cpu"][0].items():
        np.testing.assert_allclose(results["gpu"][0][key], value, rtol=1e-4, atol=1e-5)
    assert results["gpu"][1][-1]["loss"] == pytest.approx(results["cpu"][1][-1]["loss"], rel=1e-4)
