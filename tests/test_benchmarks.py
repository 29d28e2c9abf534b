"""The benchmark scripts run (their numbers are claims only when run as benchmarks/README.md says)."""

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from test_cli_training import FASHION_DIR

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))


@pytest.mark.skipif(not FASHION_DIR.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_gpu_benchmark_prints_its_table_on_the_stand_in(fake_gpu, tmp_path, capsys):
    pytest.importorskip("torch")
    import gpu

    gpu.main(["--reps", "1", "--limit", "2000", "--torch-device", "cpu", "--markdown", str(tmp_path / "gpu.md")])
    out = capsys.readouterr().out
    seconds = r"[\d.]+ \| " * 3
    rows = re.findall(rf"^\| (\d+) \| (\d+) \| {seconds}[\d.]+x \| 0\.\d{{4}} / 0\.\d{{4}} \|$", out, re.M)
    assert rows == [("50", "100"), ("50", "1000"), ("1000", "100"), ("1000", "1000")]
    # The stand-in computes with NumPy, so "GPU" and CPU weights agree exactly.
    assert "largest weight difference 0.00e+00" in out
    assert (tmp_path / "gpu.md").read_text().strip() == out.strip()


def test_the_floor_does_the_trainers_step_and_run_py_compares_them(rng):
    # The floor is only a fair reference if it computes the same step: same loss, same new weights.
    import run

    from nnscratch import SGD, mlp

    import floor

    x = rng.standard_normal((300, 12)).astype(np.float32)
    t = rng.integers(0, 10, 300)
    model = mlp(12, [7], 10, seed=0)
    W1, b1, W2, b2 = (value.copy() for value in model.params.values())
    b1 += 0.1  # non-zero biases, so that their updates are checked too
    model.params["layers.0.b"][...] = b1
    index = rng.permutation(300)[:50]
    hits = np.zeros(50, dtype=bool)
    loss_sum = floor._step(floor._buffers(50, 12, 7, 10), x, t, index, W1, b1, W2, b2, lr=0.1, hits=hits)
    loss, scores, grads = model.loss_and_grads(x[index], t[index])
    SGD(0.1).update(model.params, grads)
    assert loss_sum / 50 == pytest.approx(loss, rel=1e-5)
    np.testing.assert_array_equal(hits, scores.argmax(axis=1) == t[index])
    for ours, theirs in zip(model.params.values(), (W1, b1, W2, b2), strict=True):
        np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-6)

    data = ((x, t), (x[:100], t[:100]))
    table = run.floor_table(data, reps=2)
    assert re.search(r"^\| 50 \| [\d.]+ \| [\d.]+ \| [\d.]+x \| [\d.]+x \|$", table, re.M)
    assert re.search(r"^\| 1000 \| [\d.]+ \| [\d.]+ \| [\d.]+x \| [\d.]+x \|$", table, re.M)


def test_interleaved_runs_take_turns_going_first():
    import run

    order = []

    def job(name, seconds):
        return lambda: order.append(name) or (seconds, None)

    runs = run.interleaved_runs(4, {"a": job("a", 1.0), "b": job("b", 2.0)})
    assert order == ["a", "b", "b", "a", "a", "b", "b", "a"]
    assert runs == {"a": [(1.0, None)] * 4, "b": [(2.0, None)] * 4}


def test_the_ladder_rungs_train_the_same_network_as_the_trainer(rng):
    # Each rung is one change away from the one before: rungs 2 to 4 and the variants of rung 4
    # must train the same weights, so that their time differences are the costs of those changes.
    import floor_ladder

    from nnscratch import SGD, mlp
    from nnscratch.train import Trainer

    x = rng.standard_normal((500, 12)).astype(np.float32)
    t = rng.integers(0, 10, 500)
    trainer_model = mlp(12, [7], 10, seed=0)
    Trainer(trainer_model, SGD(floor_ladder.LR), batch_size=floor_ladder.BATCH, seed=0, progress="none").fit(x, t, 1)
    rungs = [
        (floor_ladder.train_arithmetic, {}),
        (floor_ladder.train_layers, {}),
        (floor_ladder.train_contract, {}),
        (floor_ladder.train_contract, {"fold_lr": False}),
        (floor_ladder.train_contract, {"keep_grads": True}),
    ]
    for train, options in rungs:
        model = mlp(12, [7], 10, seed=0)
        assert train(model, x, t, **options) > 0
        for name, value in model.params.items():
            np.testing.assert_allclose(value, trainer_model.params[name], rtol=1e-5, atol=1e-6, err_msg=name)

    table = floor_ladder.ladder(((x, t), (x[:200], t[:200])), hidden=7, reps=1)
    _check_ladder_table(table, "s/epoch")


def test_the_inline_arithmetic_rung_computes_the_layers_loss_and_scores(rng):
    # Rung 2 stands for what the layers compute: the same loss and scores, step by step.
    import floor_ladder

    from nnscratch import mlp

    x = rng.standard_normal((250, 12)).astype(np.float32)
    t = rng.integers(0, 10, 250)
    inline = floor_ladder.arithmetic_step(mlp(12, [7], 10, seed=0))
    layers = floor_ladder.layers_step(mlp(12, [7], 10, seed=0))
    for start in range(0, 250, 100):  # the last batch is short, as an epoch's may be
        batch = x[start : start + 100], t[start : start + 100]
        (loss, scores), (their_loss, their_scores) = inline(*batch), layers(*batch)
        assert loss == pytest.approx(their_loss, rel=1e-6)
        np.testing.assert_allclose(scores, their_scores, rtol=1e-5, atol=1e-6)


def test_the_chunked_ladder_times_every_rung_in_turns(rng):
    import floor_ladder

    x = rng.standard_normal((300, 12)).astype(np.float32)
    t = rng.integers(0, 10, 300)
    table = floor_ladder.chunked_ladder(((x, t), (x[:100], t[:100])), hidden=7, reps=2, k=4)
    assert "4-step chunks (medians of 2 rounds)" in table
    _check_ladder_table(table, "s/4 steps")


def _check_ladder_table(table, unit):
    """The five rungs in order, each after the first with the time it adds; then rung 4's two variants."""
    assert f"| rung | {unit} | us/step |" in table
    rows = re.findall(r"^\| (\d)\. .+? \| [\d.]+ \| [\d.]+ \| [\d.]+x \| [\d.]+x \| ([-+\d.]*) \|$", table, re.M)
    assert [number for number, _ in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0][1] == "" and all(added for _, added in rows[1:])
    for variant in ("with exact gradients", "holding each step's gradients into the next"):
        line = rf"^Rung 4 {variant}.*: [\d.]+ {unit}, [\d.]+x \| [\d.]+x, [-+][\d.]+ us/step against rung 4$"
        assert re.search(line, table, re.M), variant
