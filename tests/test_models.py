"""Networks: TwoLayerNet's book API, Sequential, save/load, gradcheck reports."""

import numpy as np
import pytest

import nnscratch
from nnscratch import SGD, Affine, Maxout, Relu, Sequential, SoftmaxClassifier, Tanh, TwoLayerNet, gradcheck
from nnscratch.train import Trainer


def small_batch(rng, n=5, d=4, c=3):
    return rng.standard_normal((n, d)), rng.integers(0, c, n)


def test_two_layer_net_shapes_and_initial_loss(rng):
    net = TwoLayerNet(784, 50, 10, seed=0)
    assert {k: v.shape for k, v in net.params.items()} == {"W1": (784, 50), "b1": (50,), "W2": (50, 10), "b2": (10,)}
    assert net.params["W1"].std() == pytest.approx(0.01, rel=0.05)
    assert not net.params["b1"].any()
    x, t = rng.random((20, 784)), rng.integers(0, 10, 20)
    # With tiny weights the scores are near 0, so the loss is near ln(10).
    assert net.loss(x, t) == pytest.approx(np.log(10), abs=0.01)
    assert net.predict(x).shape == (20, 10)


def test_same_seed_same_weights():
    a, b = TwoLayerNet(4, 5, 3, seed=7), TwoLayerNet(4, 5, 3, seed=7)
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])


def test_updating_params_in_place_is_seen_by_the_layers(rng):
    net = TwoLayerNet(4, 5, 3, seed=0)
    x, _ = small_batch(rng)
    net.params["b2"] += np.array([1.0, 0.0, 0.0])
    net.params["W1"] *= 0.0
    np.testing.assert_allclose(net.predict(x), np.tile([1.0, 0.0, 0.0], (5, 1)))


def test_accuracy_with_integer_and_one_hot_labels(rng):
    net = TwoLayerNet(4, 5, 3, seed=0)
    x, t = small_batch(rng)
    expected = float((net.predict(x).argmax(axis=1) == t).mean())
    assert net.accuracy(x, t) == expected
    assert net.accuracy(x, np.eye(3)[t]) == expected


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_backprop_matches_numerical_gradient_like_the_book(activation, rng):
    net = TwoLayerNet(4, 6, 3, activation=activation, seed=1, weight_init_std=0.5)
    x, t = small_batch(rng, n=3)
    numeric, analytic = net.numerical_gradient(x, t), net.gradient(x, t)
    assert set(numeric) == set(analytic) == {"W1", "b1", "W2", "b2"}
    for key in numeric:
        # The textbook reports mean absolute differences of 1e-7 or less.
        assert np.abs(numeric[key] - analytic[key]).mean() < 1e-7


def test_gradcheck_report(rng):
    net = TwoLayerNet(4, 6, 3, seed=2, weight_init_std=1.0, dtype=np.float32)
    x, t = small_batch(rng)
    report = gradcheck(net, x, t)
    assert list(report) == ["W1", "b1", "W2", "b2"]
    assert report.ok and report.worst < 1e-7
    assert all(check.verdict == "good" for check in report.values())
    assert "rel error" in str(report)
    assert net.dtype == np.float32  # the model itself stays float32


def test_gradcheck_flags_a_wrong_backward(rng):
    net = TwoLayerNet(4, 6, 3, seed=2, weight_init_std=1.0)
    broken = net.layers[1]
    broken.backward = lambda dout: dout  # forgets the ReLU mask
    report = gradcheck(net, *small_batch(rng))
    assert report["W1"].verdict == "wrong"
    assert not report.ok


def test_softmax_classifier_regularisation(rng):
    model = SoftmaxClassifier(4, 3, reg=0.1, seed=0)
    x, t = small_batch(rng)
    W = model.params["W"]
    data_only = SoftmaxClassifier(4, 3, seed=0)
    assert model.loss(x, t) == pytest.approx(data_only.loss(x, t) + 0.5 * 0.1 * (W**2).sum())
    np.testing.assert_allclose(model.gradient(x, t)["W"], data_only.gradient(x, t)["W"] + 0.1 * W)
    np.testing.assert_array_equal(model.gradient(x, t)["b"], data_only.gradient(x, t)["b"])


def make_deep(rng):
    return Sequential(
        Affine(rng.standard_normal((4, 8)), np.zeros(8)),
        Relu(),
        Maxout(rng.standard_normal((2, 8, 6)), np.zeros((2, 6))),
        Tanh(),
        Affine(rng.standard_normal((6, 3)), np.zeros(3)),
        reg=0.01,
    )


def test_sequential_discovers_and_names_parameters(rng):
    model = make_deep(rng)
    assert list(model.params) == ["layers.0.W", "layers.0.b", "layers.2.W", "layers.2.b", "layers.4.W", "layers.4.b"]
    assert model.num_parameters() == 4 * 8 + 8 + 2 * 8 * 6 + 2 * 6 + 6 * 3 + 3
    text = repr(model)
    assert "(2): Maxout(in_features=8, out_features=6, k=2)" in text and "SoftmaxWithLoss" in text


def test_sequential_gradcheck(rng):
    model = make_deep(rng)
    assert gradcheck(model, *small_batch(rng)).worst < 1e-7


@pytest.mark.parametrize("options", [{}, {"batchnorm": True}, {"dropout": 0.3}], ids=["plain", "batchnorm", "dropout"])
def test_mlp_relus_work_in_place_and_change_no_number(rng, options, tmp_path):
    model, reference = (nnscratch.mlp(4, [7, 6], 3, dtype="float64", seed=0, **options) for _ in range(2))
    relus = [layer for layer in model.layers if isinstance(layer, Relu)]
    assert len(relus) == 2 and all(relu.inplace for relu in relus)
    for layer in reference.layers:
        if isinstance(layer, Relu):
            layer.inplace = False
    x, t = small_batch(rng, n=6)
    for _ in range(3):  # the same dropout masks: both models draw from one seed
        loss, scores, grads = model.loss_and_grads(x, t)
        expected_loss, expected_scores, expected_grads = reference.loss_and_grads(x, t)
        assert loss == expected_loss
        np.testing.assert_array_equal(scores, expected_scores)
        for name, grad in grads.items():
            np.testing.assert_array_equal(grad, expected_grads[name], err_msg=name)
    if not options:
        assert gradcheck(model, x, t).worst < 1e-7
    rebuilt = Sequential.from_file(model.save(tmp_path / "model.npz"))
    assert [layer.inplace for layer in rebuilt.layers if isinstance(layer, Relu)] == [True, True]


def test_sequential_takes_a_loss_layer_written_with_the_books_forward_x_t(rng):
    """Lecture 5 builds a network from the learner's own layers; their loss layer takes (x, t), no keywords."""

    class MySoftmaxWithLoss:
        def forward(self, x, t):
            self.y = nnscratch.softmax(x)
            self.t = np.eye(x.shape[1])[t]
            return float(-np.sum(self.t * np.log(self.y)) / x.shape[0])

        def backward(self, dout=1.0):
            return dout * (self.y - self.t) / self.y.shape[0]

    W, b = rng.normal(size=(5, 3)), rng.normal(size=3)
    x, t = rng.normal(size=(4, 5)), np.array([0, 2, 1, 2])
    mine = Sequential(Affine(W.copy(), b.copy()), loss=MySoftmaxWithLoss())
    library = Sequential(Affine(W.copy(), b.copy()))
    assert mine.loss(x, t) == pytest.approx(library.loss(x, t))
    for key, grad in library.gradient(x, t).items():
        np.testing.assert_allclose(mine.gradient(x, t)[key], grad)
    # The Trainer's fast path (labels checked once, at the door) trains it too, step for step alike.
    for model in (mine, library):
        Trainer(model, SGD(0.1), batch_size=2, seed=0, progress="none").fit(x, t, 2)
    np.testing.assert_allclose(mine.params["layers.0.W"], library.params["layers.0.W"])


def test_a_loss_layer_assigned_after_construction_is_asked_again_what_it_takes(rng):
    """The network looks up once per loss layer whether it takes labels_checked and scales by dout."""

    class BookSoftmaxWithLoss:  # the book's: forward(x, t) checks its own labels, backward ignores dout
        def forward(self, x, t):
            self.y, self.t = nnscratch.softmax(x), np.asarray(t)
            return float(-np.log(self.y[np.arange(len(self.t)), self.t]).mean())

        def backward(self, dout=1):
            dx = self.y.copy()
            dx[np.arange(len(self.t)), self.t] -= 1
            return dx / len(self.t)

    W, b = rng.normal(size=(5, 3)), rng.normal(size=3)
    x, t = rng.normal(size=(4, 5)), np.array([0, 2, 1, 2])
    library = Sequential(Affine(W.copy(), b.copy()))
    swapped = Sequential(Affine(W.copy(), b.copy()))
    swapped.loss_and_grads(x, t, labels_checked=True)  # with the package's loss layer first
    swapped.loss_layer = BookSoftmaxWithLoss()
    expected_loss, _, expected = library.loss_and_grads(x, t, labels_checked=True, grad_scale=0.5)
    loss, _, grads = swapped.loss_and_grads(x, t, labels_checked=True, grad_scale=0.5)  # no TypeError
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    for key, grad in expected.items():  # scaled by the network, since this backward ignores dout
        np.testing.assert_allclose(grads[key], grad, rtol=1e-12, err_msg=key)


def test_a_network_builds_with_a_loss_layer_it_only_uses_later_or_never(rng):
    # What the loss layer accepts is asked when it is assigned: a missing loss layer, or one
    # without backward, must not make the network fail before it is used.
    from nnscratch.models.network import Network

    W, b = rng.normal(size=(5, 3)), rng.normal(size=3)
    x = rng.normal(size=(4, 5))
    predictor = Network([Affine(W, b)], None)
    np.testing.assert_allclose(predictor.predict(x), x @ W + b)

    class ForwardOnly:
        def forward(self, scores, t):
            return float(np.mean((scores - t) ** 2))

    evaluator = Network([Affine(W, b)], ForwardOnly())
    assert evaluator.loss(x, np.zeros((4, 3))) == pytest.approx(np.mean((x @ W + b) ** 2))


def test_loss_and_grads_converts_only_what_is_not_the_models_dtype_already(rng):
    model = nnscratch.mlp(5, [4], 3, seed=0)  # float32
    x, t = rng.normal(size=(6, 5)), rng.integers(0, 3, 6)
    as_float32 = model.loss_and_grads(x.astype(np.float32), t)
    for same in (x, x.tolist(), x.astype(np.float16)):  # float64, a list, float16: cast to float32 first
        loss, scores, grads = model.loss_and_grads(same, t)
        assert scores.dtype == np.float32 and loss == pytest.approx(as_float32[0], rel=1e-3)
        assert all(grad.dtype == np.float32 for grad in grads.values())


def test_save_and_load_round_trip_without_pickle(rng, tmp_path):
    model = make_deep(rng)
    x, _ = small_batch(rng)
    path = model.save(tmp_path / "model.npz")
    with np.load(path, allow_pickle=False) as archive:
        assert "layers.0.W" in archive.files
    rebuilt = Sequential.from_file(path)
    np.testing.assert_array_equal(rebuilt.predict(x), model.predict(x))
    assert rebuilt.reg == model.reg

    other = make_deep(np.random.default_rng(99))
    other.load(path)
    np.testing.assert_array_equal(other.predict(x), model.predict(x))


def test_two_layer_net_save_load(tmp_path, rng):
    net, other = TwoLayerNet(4, 5, 3, seed=0), TwoLayerNet(4, 5, 3, seed=1)
    other.load(net.save(tmp_path / "net.npz"))
    x, _ = small_batch(rng)
    np.testing.assert_array_equal(other.predict(x), net.predict(x))


def test_load_rejects_mismatched_or_damaged_files(tmp_path):
    path = TwoLayerNet(4, 5, 3, seed=0).save(tmp_path / "net.npz")
    with pytest.raises(ValueError, match="W1 has shape"):
        TwoLayerNet(4, 6, 3).load(path)
    damaged = tmp_path / "damaged.npz"
    damaged.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ValueError, match="not a valid .npz"):
        TwoLayerNet(4, 5, 3).load(damaged)
    with pytest.raises(FileNotFoundError, match="missing.npz"):
        TwoLayerNet(4, 5, 3).load(tmp_path / "missing.npz")
