"""The one contract between model, trainer and optimizer (issue 10).

``model.loss_and_grads(x, t)`` is the single training step every trainer uses;
``predict`` and ``accuracy`` are inference readings that never depend on the
mode the model was left in.
"""

import numpy as np
import pytest

from nnscratch import SGD, Adam, mlp
from nnscratch.train import Trainer


def blobs(n=300, d=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    t = rng.integers(0, classes, n)
    centers = rng.standard_normal((classes, d)) * 3
    return (centers[t] + rng.standard_normal((n, d))).astype(np.float32), t


def test_accuracy_after_fit_does_not_depend_on_dropout_masks():
    # The bug: after Trainer.fit the model stayed in training mode, so Dropout kept dropping
    # units inside accuracy() and every call gave a different, lower number.
    x, t = blobs()
    model = mlp(6, [32], 3, dropout=0.5, seed=0)
    Trainer(model, Adam(0.01), batch_size=30, seed=0, progress="none").fit(x, t, 3)
    readings = {model.accuracy(x, t) for _ in range(5)}
    assert len(readings) == 1
    assert readings == {float((model.eval().predict(x).argmax(axis=1) == t).mean())}


def test_trainer_and_estimator_return_the_model_in_evaluation_mode():
    x, t = blobs()
    model = mlp(6, [16], 3, dropout=0.3, seed=0)
    Trainer(model, SGD(0.1), batch_size=50, seed=0, progress="none").fit(x, t, 1)
    assert not model.training and not any(layer.training for layer in model.layers)
    pytest.importorskip("sklearn")
    from nnscratch.sklearn import MLPClassifier

    clf = MLPClassifier(hidden_layer_sizes=(8,), max_iter=2, random_state=0).fit(x, t)
    assert not clf.model_.training


def test_predict_computes_in_evaluation_mode_and_keeps_the_mode_it_found():
    x, _ = blobs(n=20)
    model = mlp(6, [16], 3, dropout=0.5, seed=0).train()
    expected = model.eval().predict(x)
    model.train()
    np.testing.assert_array_equal(model.predict(x), expected)
    assert model.training and all(layer.training for layer in model.layers)


def test_loss_and_grads_is_one_training_step_keyed_like_params(rng):
    from nnscratch import TwoLayerNet

    net = TwoLayerNet(4, 6, 3, seed=0, weight_init_std=0.5, reg=0.1).eval()
    x, t = rng.standard_normal((5, 4)), rng.integers(0, 3, 5)
    loss, scores, grads = net.loss_and_grads(x, t)
    assert list(grads) == list(net.params)
    np.testing.assert_allclose(scores, net.predict(x))  # no mode-dependent layer: the same scores
    # loss = mean cross-entropy + 0.5 * reg * (|W1|^2 + |W2|^2), restated by hand
    shifted = scores - scores.max(axis=1, keepdims=True)
    data_loss = np.mean(np.log(np.exp(shifted).sum(axis=1)) - shifted[np.arange(5), t])
    l2 = 0.5 * 0.1 * ((net.params["W1"] ** 2).sum() + (net.params["W2"] ** 2).sum())
    assert loss == pytest.approx(data_loss + l2, rel=1e-12)
    assert loss == pytest.approx(net.loss(x, t), rel=1e-12)
    for key, grad in net.gradient(x, t).items():
        np.testing.assert_array_equal(grad, grads[key])
    assert not net.training  # it ran in training mode and restored the mode it found


def test_loss_and_grads_trains_batchnorm_in_training_mode(rng):
    from nnscratch import gradcheck

    model = mlp(4, [5], 3, batchnorm=True, seed=0, dtype="float64").eval()
    x, t = rng.standard_normal((6, 4)), rng.integers(0, 3, 6)
    before = model.layers[1].running_mean.copy()
    model.loss_and_grads(x, t)
    assert not np.array_equal(model.layers[1].running_mean, before)  # batch statistics were used
    report = gradcheck(model.eval(), x, t)  # numerical gradient reads the same training loss, whatever the mode
    # (The first bias's gradient is exactly 0 under BatchNorm, so compare absolute differences.)
    assert max(check.max_abs_diff for check in report.values()) < 1e-7
    assert report["layers.0.W"].rel_error < 1e-6


def test_every_trainer_goes_through_loss_and_grads(monkeypatch, rng):
    from nnscratch import TwoLayerNet
    from nnscratch.models import Network
    from nnscratch.train import fit_full_batch

    calls = []
    original = Network.loss_and_grads

    def counting(self, x, t, **options):
        calls.append(len(x))
        return original(self, x, t, **options)

    monkeypatch.setattr(Network, "loss_and_grads", counting)
    x, t = blobs(n=40)
    Trainer(mlp(6, [8], 3, seed=0), SGD(0.1), batch_size=20, seed=0, progress="none").fit(x, t, 1)
    assert calls == [20, 20]
    calls.clear()
    fit_full_batch(TwoLayerNet(6, 8, 3, seed=0), x, t, 0.1, 3)
    assert calls == [40, 40, 40]
    calls.clear()
    from nnscratch import gradcheck

    gradcheck(TwoLayerNet(6, 4, 3, seed=0), x[:3], t[:3])
    assert calls == [3]


def test_params_is_read_only_with_advice_and_in_place_updates_work(rng):
    from nnscratch import TwoLayerNet

    net = TwoLayerNet(4, 5, 3, seed=0)
    with pytest.raises(TypeError, match=r"params is read-only: to change 'W1', update its array in place"):
        net.params["W1"] = np.zeros((4, 5))
    with pytest.raises(TypeError, match="read-only"):
        del net.params["b1"]
    W1 = net.params["W1"]
    net.params["W1"] -= 1.0  # the book's idiom: in place, stored back as the same array
    assert net.params["W1"] is W1 and net.layers[0].W is W1
    net.layers[0].W = np.ones((4, 5))  # the view reads the layers, so it never goes stale
    np.testing.assert_array_equal(net.params["W1"], 1.0)


def test_early_stopping_is_one_callback_used_by_trainer_and_estimator(monkeypatch):
    from nnscratch.train.callbacks import EarlyStopping

    made = []
    original = EarlyStopping.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(EarlyStopping, "__init__", recording)
    x, t = blobs()
    trainer = Trainer(mlp(6, [8], 3, seed=0), Adam(0.01), seed=0, patience=2, progress="none")
    trainer.fit(x, t, 3, validation_data=(x, t))
    assert [(s.monitor, s.patience) for s in made] == [("test_accuracy", 2)]
    pytest.importorskip("sklearn")
    from nnscratch.sklearn import MLPClassifier

    MLPClassifier(hidden_layer_sizes=(8,), max_iter=3, n_iter_no_change=4, tol=0.01, random_state=0).fit(x, t)
    assert [(s.monitor, s.patience, s.min_delta) for s in made[1:]] == [("loss", 4, 0.01)]


def test_early_stopping_rule_restated():
    from nnscratch.train.callbacks import EarlyStopping

    class FakeTrainer:
        model = mlp(2, [], 2, seed=0)

    stopper = EarlyStopping(2, monitor="loss", min_delta=0.1, restore_best=False)
    losses = [1.0, 0.95, 0.85, 0.8, 0.78]  # better by more than 0.1 only at epochs 1 and 3
    stops = [stopper.on_epoch_end({"epoch": e + 1, "loss": v}, FakeTrainer) for e, v in enumerate(losses)]
    assert stops == [False, False, False, False, True] and stopper.best_epoch == 3
    with pytest.raises(ValueError, match="patience must be a positive integer"):
        EarlyStopping(0)
    with pytest.raises(ValueError, match="early stopping on 'test_accuracy' needs validation_data"):
        EarlyStopping(1).on_epoch_end({"epoch": 1, "test_accuracy": None}, FakeTrainer)


@pytest.mark.parametrize(
    ("interval", "value", "message"),
    [
        ("UNIT_LEFT_CLOSED", 1.0, r"x must be in \[0, 1\), got 1.0"),
        ("POSITIVE", 0, "x must be > 0, got 0"),
        ("NONNEGATIVE", float("nan"), "x must be a finite number >= 0, got nan"),
    ],
)
def test_one_range_check_everywhere(interval, value, message):
    from nnscratch import validation

    with pytest.raises(ValueError, match=message):
        getattr(validation, interval).check(value, "x")
    assert getattr(validation, interval).check(0.5, "x") == 0.5
    with pytest.raises(TypeError, match="x must be a number"):
        getattr(validation, interval).check(True, "x")


def test_no_hand_written_range_checks_left():
    # The range checks that were written out by hand five times now all go through validation.Interval.
    import re
    from pathlib import Path

    import nnscratch

    pattern = re.compile(r"if not [^\n]*[<>]=? -?\d[^\n]*:\n\s+raise ValueError|if not 0 <")
    offenders = [
        str(path.relative_to(Path(nnscratch.__file__).parent))
        for path in Path(nnscratch.__file__).parent.rglob("*.py")
        if pattern.search(path.read_text())
    ]
    assert offenders == []


def test_every_registered_layer_is_exported_and_checked():
    import nnscratch
    from nnscratch import layers
    from nnscratch.models.sequential import LAYER_CLASSES
    from test_torch_reference import TORCH_FORMULAS

    from layer_registry import FACTORIES

    assert list(layers.LAYERS) and LAYER_CLASSES is layers.LAYERS
    for name, cls in {**layers.LAYERS, **layers.LOSSES}.items():
        assert getattr(nnscratch, name) is cls and getattr(layers, name) is cls and name in nnscratch.__all__
    assert set(FACTORIES) == set(layers.LAYERS) == set(TORCH_FORMULAS)


def test_one_registration_adds_a_layer_everywhere(tmp_path, rng):
    from nnscratch import Sequential
    from nnscratch.cli.main import build_parser
    from nnscratch.layers import Layer, register, unregister

    @register(activation="square_example")
    class SquareExample(Layer):
        """``out = x ** 2``; ``dx = 2 * x * dout``."""

        def forward(self, x):
            self.x = x
            return x**2

        def backward(self, dout):
            return 2 * self.x * dout

    try:
        model = mlp(3, [4], 2, activation="square_example", seed=0, dtype="float64")
        model.save(tmp_path / "m.npz")
        again = Sequential.from_file(tmp_path / "m.npz")
        x = rng.standard_normal((5, 3))
        np.testing.assert_array_equal(again.predict(x), model.predict(x))
        parser = build_parser()
        assert parser.parse_args(["gradcheck", "--activation", "square_example"]).activation == "square_example"
    finally:
        unregister(SquareExample)
    with pytest.raises(ValueError, match="no layer named 'SquareExample' is registered; known: Relu"):
        Sequential.from_file(tmp_path / "m.npz")


def test_a_command_is_one_entry_in_one_table(capsys):
    from nnscratch.cli.commands import COMMANDS
    from nnscratch.cli.common import Command
    from nnscratch.cli.main import build_parser

    names = [command.name for command in COMMANDS]
    assert names[:7] == ["numdiff", "descent", "graph", "gates", "forward", "gradcheck", "spiral"]
    assert len(set(names)) == len(names)

    def hello(args):
        print(f"hello {args.who}")
        return 0

    extra = Command("hello", hello, "say hello", lambda sub: sub.add_argument("--who", default="world"))
    args = build_parser((*COMMANDS, extra)).parse_args(["hello", "--who", "you"])
    assert args.func(args) == 0 and capsys.readouterr().out == "hello you\n"


def test_sweep_and_plots_use_only_public_names():
    # A private attribute of Optuna or of a multiprocessing object breaks on their next release, and
    # a private helper imported from another module is a public one in disguise.
    import re
    from pathlib import Path

    import nnscratch

    root = Path(nnscratch.__file__).parent
    private_use = re.compile(
        r"\._storage\b|\._trial_id\b|process\.\w+ = |^\s*from [\w.]+ import [^\n]*\b_[a-z]\w*", re.M
    )
    offenders = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.rglob("*.py")
        for match in private_use.finditer(path.read_text())
    ]
    assert offenders == []


def test_no_function_is_longer_than_forty_lines_of_code():
    import ast
    from pathlib import Path

    import nnscratch

    def code_lines(node, lines):
        first = node.body[0]
        docstring = range(0)
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            docstring = range(first.lineno, first.end_lineno + 1)
        return sum(
            1
            for number in range(node.lineno, node.end_lineno + 1)
            if number not in docstring and lines[number - 1].strip() and not lines[number - 1].strip().startswith("#")
        )

    long = []
    for path in Path(nnscratch.__file__).parent.rglob("*.py"):
        text = path.read_text()
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and code_lines(node, lines) > 40:
                long.append(f"{path.name}:{node.name}")
    assert long == []


def test_bad_values_deep_in_the_data_are_still_named_as_bad_data():
    # The data's values are examined only when the loss stops being finite: a NaN in a late batch
    # is reported as bad data before any update with it, not as a divergence.
    x, t = blobs()
    x[250, 3] = np.nan
    model = mlp(6, [8], 3, seed=0)
    with pytest.raises(ValueError, match=r"x contains 1 NaN or infinite value\(s\)"):
        Trainer(model, SGD(0.1), batch_size=50, seed=0, progress="none").fit(x, t, 1)
    assert all(np.isfinite(value).all() for value in model.params.values())


def test_one_regularisation_story(rng):
    # reg (the lectures' default) is L2 on weights only, inside the loss; weight_decay (torch's form)
    # is added to every gradient, biases included; alpha maps to reg alone.
    from nnscratch import TwoLayerNet

    x, t = rng.standard_normal((6, 4)), rng.integers(0, 3, 6)
    with_reg = TwoLayerNet(4, 5, 3, seed=0, reg=0.5)
    plain = TwoLayerNet(4, 5, 3, seed=0)
    _, _, reg_grads = with_reg.loss_and_grads(x, t)
    _, _, grads = plain.loss_and_grads(x, t)
    np.testing.assert_allclose(reg_grads["W1"], grads["W1"] + 0.5 * plain.params["W1"])
    np.testing.assert_array_equal(reg_grads["b1"], grads["b1"])  # biases are not regularised by reg
    b1 = plain.params["b1"] + 1.0
    plain.params["b1"][...] = b1
    _, _, grads = plain.loss_and_grads(x, t)
    SGD(0.1, weight_decay=0.5).update(plain.params, grads)
    np.testing.assert_allclose(plain.params["b1"], b1 - 0.1 * (grads["b1"] + 0.5 * b1))  # biases decay too
    pytest.importorskip("sklearn")
    from nnscratch.sklearn import MLPClassifier

    xb, tb = blobs(n=60)
    clf = MLPClassifier(hidden_layer_sizes=(4,), alpha=0.3, batch_size=20, max_iter=1, random_state=0).fit(xb, tb)
    assert clf.model_.reg == pytest.approx(0.3 / 20) and clf._optimizer.weight_decay == 0.0


def test_architecture_page_names_what_exists():
    import importlib
    import re
    from pathlib import Path

    page = (Path(__file__).parents[1] / "ARCHITECTURE.md").read_text()
    for needed in ("loss_and_grads", "optimizer.update", "callbacks", "checkpoints", "@register", "COMMANDS"):
        assert needed in page
    for module in re.findall(r"^\| `([a-z_/]+)` \|", page, re.M):
        importlib.import_module("nnscratch." + module.strip("/").replace("/", "."))


@pytest.mark.parametrize("reg", [0.0, 0.1])
def test_grad_scale_gives_the_gradients_of_the_scaled_loss(rng, reg):
    # What the Trainer asks for with plain SGD (grad_scale=lr): every gradient, the L2 term's too,
    # multiplied by the scale, and the loss itself unscaled.
    from nnscratch import TwoLayerNet

    net = TwoLayerNet(4, 6, 3, seed=0, weight_init_std=0.5, reg=reg)
    x, t = rng.standard_normal((5, 4)), rng.integers(0, 3, 5)
    loss, scores, grads = net.loss_and_grads(x, t)
    scaled_loss, scaled_scores, scaled = net.loss_and_grads(x, t, grad_scale=0.25)
    assert scaled_loss == loss
    np.testing.assert_array_equal(scaled_scores, scores)
    for key, grad in grads.items():
        np.testing.assert_allclose(scaled[key], 0.25 * grad, rtol=1e-14, atol=1e-17, err_msg=key)


def test_grad_scale_holds_with_a_loss_layer_that_ignores_its_dout(rng):
    # The book's SoftmaxWithLoss.backward(dout=1) never reads dout: the network scales its result.
    from nnscratch import Sequential, SoftmaxWithLoss
    from nnscratch.layers import Affine

    class BookSoftmaxWithLoss(SoftmaxWithLoss):
        def backward(self, dout=1):
            dx = self.y.copy()
            dx[np.arange(len(self.t)), self.t] -= 1
            return dx / len(self.t)

    layer = Affine(rng.standard_normal((4, 3)), np.zeros(3))
    net = Sequential(layer, loss=BookSoftmaxWithLoss())
    x, t = rng.standard_normal((6, 4)), rng.integers(0, 3, 6)
    grads = {key: grad.copy() for key, grad in net.loss_and_grads(x, t)[2].items()}
    scaled = net.loss_and_grads(x, t, grad_scale=0.5)[2]
    for key, grad in grads.items():
        np.testing.assert_allclose(scaled[key], 0.5 * grad, rtol=1e-14, err_msg=key)


def test_lr_folded_update_subtracts_the_scaled_gradients_and_only_plain_sgd_takes_it(rng):
    from nnscratch import Momentum

    params = {"W": rng.standard_normal((3, 2))}
    step = {"W": rng.standard_normal((3, 2))}  # the gradient of lr * loss
    expected = params["W"] - step["W"]
    optimizer = SGD(0.1)
    assert optimizer.folds_lr
    optimizer.update(params, step, lr_folded=True)
    np.testing.assert_array_equal(params["W"], expected)
    assert optimizer.steps == 1
    with pytest.raises(ValueError, match=r"'W' is a different array"):  # its state still belongs to its model
        optimizer.update({"W": params["W"].copy()}, step, lr_folded=True)
    for other in (SGD(0.1, weight_decay=0.01), Momentum(0.1), Adam(0.1)):
        assert not other.folds_lr
        before = params["W"].copy()
        with pytest.raises(ValueError, match=r"lr_folded=True needs plain SGD without weight decay"):
            other.update(params, step, lr_folded=True)
        np.testing.assert_array_equal(params["W"], before)


def test_a_model_without_grad_scale_still_trains_with_sgd(rng):
    # Anything with loss_and_grads(x, t), params, train and eval: a learner's model may not know grad_scale.
    class OwnModel:
        def __init__(self):
            self.net = mlp(6, [8], 3, seed=0)
            self.params, self.dtype, self.steps = self.net.params, self.net.dtype, 0

        def loss_and_grads(self, x, t, labels_checked=False):
            self.steps += 1
            return self.net.loss_and_grads(x, t, labels_checked)

        def train(self, mode=True):
            self.net.train(mode)
            return self

        def __getattr__(self, name):
            return getattr(self.net, name)

    x, t = blobs(n=60)
    own, reference = OwnModel(), mlp(6, [8], 3, seed=0)
    Trainer(own, SGD(0.1), batch_size=20, seed=0, progress="none").fit(x, t, 2)
    Trainer(reference, SGD(0.1), batch_size=20, seed=0, progress="none").fit(x, t, 2)
    assert own.steps == 6
    for key, value in reference.params.items():
        np.testing.assert_allclose(own.params[key], value, rtol=1e-5, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("scale", [0.0, -0.1, float("nan"), float("inf"), "0.1", None, np.ones(2)])
def test_a_bad_grad_scale_is_named(rng, scale):
    net = mlp(4, [3], 3, seed=0)
    message = r"grad_scale must be (a number |a finite number )?> 0, got "
    with pytest.raises((TypeError, ValueError), match=message):
        net.loss_and_grads(rng.standard_normal((2, 4)), [0, 1], grad_scale=scale)
    with pytest.raises((TypeError, ValueError), match=message):  # the book's backward() after a loss
        net.backward(scale)


@pytest.mark.parametrize("flag", ["no", 1, None])
def test_lr_folded_must_be_a_bool(rng, flag):
    params, grads = {"W": rng.standard_normal((3, 2))}, {"W": rng.standard_normal((3, 2))}
    before = params["W"].copy()
    with pytest.raises(TypeError, match=r"lr_folded must be True or False, got "):
        SGD(0.1).update(params, grads, lr_folded=flag)
    np.testing.assert_array_equal(params["W"], before)
