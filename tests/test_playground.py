"""The playground without a browser: configuration, data, frames, the trainer thread, the server.

The page's own behaviour is checked in a real browser in test_playground_browser.py.
"""

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import numpy as np
import pytest

from nnscratch.data.toy import make_spiral
from nnscratch.functional import softmax
from nnscratch.playground.config import DEFAULTS, check_config
from nnscratch.playground.datasets import DOMAIN, input_features, make_dataset
from nnscratch.playground.frames import GRID, boundary_planes, encode_frame, grid_points, signed_planes
from nnscratch.playground.session import Session
from nnscratch.playground.trainer import Trainer

# --- configuration -------------------------------------------------------------------------


def test_config_fills_defaults_and_orders_features():
    config = check_config({"dataset": "spiral", "classes": 4, "features": ["sin x2", "x1"]})
    assert config["classes"] == 4 and config["hidden"] == DEFAULTS["hidden"]
    assert config["features"] == ["x1", "sin x2"]


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ({"colour": "red"}, "unknown keys ['colour']"),
        ({"dataset": "swirl"}, "'dataset' expects one of"),
        ({"hidden": [4, 17]}, "layer sizes from 1 to 16, got [4, 17]"),
        ({"lr": -0.1}, "'lr' expects a number in [0, 10], got -0.1"),
        ({"batch": 2.5}, "'batch' expects an integer"),
        ({"features": []}, "non-empty list"),
        ({"points": [[1.0, 2.0, 1]], "dataset": "spiral", "classes": 2, "noise": 0}, None),
        ({"points": [[1.0, 2.0, 2]]}, "classes below 2"),
    ],
)
def test_config_rejects_bad_values_naming_key_and_value(config, words):
    if words is None:
        assert check_config(config)["points"] == [[1.0, 2.0, 1]]
        return
    with pytest.raises(ValueError) as error:
        check_config(config)
    assert words in str(error.value)


# --- data --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["spiral", "xor", "circles", "gaussians", "moons"])
def test_every_dataset_is_seeded_split_and_on_the_plane(name):
    first = make_dataset(name, classes=3 if name == "spiral" else 2, noise=10, split=70, seed=5)
    again = make_dataset(name, classes=3 if name == "spiral" else 2, noise=10, split=70, seed=5)
    other = make_dataset(name, classes=3 if name == "spiral" else 2, noise=10, split=70, seed=6)
    x_train, t_train, x_test, t_test = first
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])
    assert len(t_train) == round(0.7 * (len(t_train) + len(t_test)))
    assert set(np.unique(np.concatenate([t_train, t_test]))) == set(range(3 if name == "spiral" else 2))
    assert np.mean(np.abs(np.concatenate([x_train, x_test])) <= DOMAIN) > 0.97


def test_spiral_is_the_lectures_generator_scaled_to_the_plane():
    x_train, t_train, x_test, t_test = make_dataset("spiral", classes=5, noise=20, split=100 * 300 / 400, seed=3)
    x, t = make_spiral(400 // 5, 5, noise=0.2, seed=np.random.default_rng(3))
    together = np.concatenate([x_train, x_test])
    labels = np.concatenate([t_train, t_test])
    order = np.lexsort((together[:, 0], together[:, 1], labels))  # by class first: all arms start at 0
    expected = np.lexsort((x[:, 0], x[:, 1], t))
    np.testing.assert_allclose(together[order], 5 * x[expected])
    np.testing.assert_array_equal(labels[order], t[expected])


def test_users_points_join_the_training_set():
    x_train, t_train, _, _ = make_dataset("xor", points=[[1.0, -2.0, 1], [0.5, 0.5, 0]], seed=0)
    np.testing.assert_array_equal(x_train[-2:], [[1.0, -2.0], [0.5, 0.5]])
    np.testing.assert_array_equal(t_train[-2:], [1, 0])


def test_input_features_restate_their_formulas():
    x = np.array([[0.5, -2.0], [3.0, 1.0]])
    names = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin x1", "sin x2"]
    expected = np.column_stack([x[:, 0], x[:, 1], x[:, 0] ** 2, x[:, 1] ** 2, x[:, 0] * x[:, 1], *np.sin(x).T])
    np.testing.assert_allclose(input_features(x, names), expected)


# --- frames --------------------------------------------------------------------------------


def test_grid_points_run_from_the_top_left_corner():
    points = grid_points(4)
    np.testing.assert_allclose(points[0], [-4.5, 4.5])
    np.testing.assert_allclose(points[3], [4.5, 4.5])
    np.testing.assert_allclose(points[-1], [4.5, -4.5])


def test_signed_planes_keep_zero_at_128_and_the_extreme_at_the_edge():
    planes, scales = signed_planes(np.array([[0.0, 0.0], [0.5, 0.0], [-1.0, 0.0], [1.0, 0.0]]))
    np.testing.assert_array_equal(scales, [1.0, 1.0])
    np.testing.assert_array_equal(planes, [[128, 192, 1, 255], [128, 128, 128, 128]])


def test_boundary_planes_give_winner_and_confidence():
    probabilities = np.array([[0.5, 0.5], [0.1, 0.9], [1.0, 0.0]])
    winner, confidence = boundary_planes(probabilities)
    np.testing.assert_array_equal(winner, [0, 1, 0])
    np.testing.assert_array_equal(confidence, [0, round(255 * 0.8), 255])


def test_frame_planes_come_from_the_networks_forward_pass_of_the_grid():
    session = Session({"features": ["x1", "x2", "x1*x2"], "hidden": [3, 2], "activation": "tanh"})
    for _ in range(3):
        session.train_epoch()
    message, data = session.frame()
    area = GRID * GRID
    assert message["type"] == "frame" and message["epoch"] == 3 and message["grid"] == GRID
    assert len(data) == (2 + 3 + 3 + 2) * area
    planes = np.frombuffer(data, dtype=np.uint8).reshape(-1, area)
    inputs = input_features(grid_points(), session.config["features"])
    # An independent forward pass: the first hidden layer by hand, the boundary by predict + softmax.
    first = session.model.layers[0]
    hidden = np.tanh(inputs @ first.W + first.b)
    scale = np.abs(hidden).max(axis=0)
    np.testing.assert_array_equal(planes[5:8].T, np.rint(128 + 127 * hidden / scale).astype(np.uint8))
    np.testing.assert_allclose(message["scales"]["neurons"][0], scale)
    probabilities = softmax(session.model.predict(inputs))
    np.testing.assert_array_equal(planes[0], probabilities.argmax(axis=1))
    np.testing.assert_allclose(message["weights"][0]["W"], np.round(first.W, 4))
    assert message["loss_train"] == pytest.approx(session.model.loss(session.inputs_train, session.t_train))


def test_encode_frame_carries_the_metrics_it_is_given():
    session = Session()
    metrics = {"epoch": 7, "loss_train": 0.5, "loss_test": 0.6, "accuracy_train": 0.75, "accuracy_test": 0.7}
    message, data = encode_frame(metrics, session.model, ["x1", "x2"], resolution=8)
    assert {k: message[k] for k in metrics} == metrics and message["diverged"] is False
    assert len(data) == (2 + 2 + 4 + 2) * 64


# --- one session -----------------------------------------------------------------------------


def test_learning_rate_zero_changes_nothing_and_training_lowers_the_loss():
    still = Session({"lr": 0})
    before = {name: p.copy() for name, p in still.model.params.items()}
    for _ in range(5):
        still.train_epoch()
    for name, param in still.model.params.items():
        np.testing.assert_array_equal(param, before[name])
    moving = Session({"dataset": "xor", "hidden": [8], "optimizer": "adam", "lr": 0.03})
    start = moving.metrics()["loss_train"]
    for _ in range(30):
        moving.train_epoch()
    assert moving.metrics()["loss_train"] < start / 2


def test_exported_script_reproduces_the_run(tmp_path):
    from nnscratch.models import Sequential
    from nnscratch.playground.export import exported_files

    config = {"dataset": "moons", "hidden": [6, 3], "activation": "relu", "optimizer": "momentum", "lr": 0.01}
    session = Session({**config, "dropout": 0.1, "reg": 0.001, "points": [[1.0, 1.0, 1]], "seed": 4})
    for _ in range(7):
        session.train_epoch()
    exported = exported_files(session)
    (tmp_path / "run.py").write_text(exported["script"])
    result = subprocess.run([sys.executable, "run.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"epoch 7: train loss {session.metrics()['loss_train']:.6f}" in result.stdout
    saved = Sequential.from_file(tmp_path / "playground_weights.npz")
    for name, param in session.model.params.items():
        np.testing.assert_allclose(saved.params[name], param)


# --- the trainer thread ----------------------------------------------------------------------


class Page:
    """A stand-in for the page: collects what the trainer sends."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    def send(self, message):
        with self.lock:
            self.messages.append(message)

    def of_type(self, kind):
        with self.lock:
            texts = [m for m in self.messages if isinstance(m, str)]
        return [json.loads(m) for m in texts if json.loads(m)["type"] == kind]

    def wait_for(self, kind, count=1, timeout=10):
        deadline = time.monotonic() + timeout
        while len(self.of_type(kind)) < count:
            assert time.monotonic() < deadline, f"no {count} {kind!r} messages in {timeout} s"
            time.sleep(0.01)
        return self.of_type(kind)


@pytest.fixture
def trainer():
    page = Page()
    thread = Trainer(page.send, {"dataset": "xor"})
    thread.start()
    yield thread, page
    thread.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_trainer_sends_no_frame_until_the_page_has_drawn_the_last(trainer):
    thread, page = trainer
    page.wait_for("points")
    page.wait_for("frame")
    thread.submit({"type": "play"})
    time.sleep(0.5)  # hundreds of epochs, but the page never said ready
    frames = page.of_type("frame")
    assert len(frames) == 1 and frames[0]["epoch"] == 0
    thread.submit({"type": "ready"})
    later = page.wait_for("frame", 2)[1]
    assert later["epoch"] > 20  # it trained all along, without waiting for the page
    text_then_bytes = [type(m) for m in page.messages[1:5]]
    assert text_then_bytes == [str, bytes, str, bytes]


def test_trainer_steps_pauses_and_resets(trainer):
    thread, page = trainer
    page.wait_for("frame")
    for _ in range(3):
        thread.submit({"type": "step"})
    thread.submit({"type": "ready"})
    deadline = time.monotonic() + 10
    while page.of_type("frame")[-1]["epoch"] < 3:
        assert time.monotonic() < deadline
        thread.submit({"type": "ready"})
        time.sleep(0.02)
    time.sleep(0.2)
    thread.submit({"type": "ready"})
    time.sleep(0.2)
    assert page.of_type("frame")[-1]["epoch"] == 3  # paused after its three steps
    thread.submit({"type": "config", "config": {"dataset": "circles", "hidden": [5]}})
    points = page.wait_for("points", 2)[1]
    assert points["config"]["hidden"] == [5] and len(points["train"]) == 200
    thread.submit({"type": "ready"})
    deadline = time.monotonic() + 10
    while page.of_type("frame")[-1]["epoch"] != 0:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_a_diverged_run_pauses_and_says_so_in_valid_json():
    page = Page()
    config = {"dataset": "xor", "features": ["x1^2", "x2^2"], "hidden": [8, 8], "activation": "linear", "lr": 10}
    thread = Trainer(page.send, config)
    thread.start()
    try:
        thread.submit({"type": "play"})
        deadline = time.monotonic() + 20
        while not page.of_type("frame")[-1:] or not page.of_type("frame")[-1]["diverged"]:
            assert time.monotonic() < deadline, "a linear net on squared inputs at lr 10 overflows in an epoch"
            thread.submit({"type": "ready"})
            time.sleep(0.02)
        assert page.of_type("frame")[-1]["loss_train"] is None  # NaN travels as null
        assert not thread.playing
    finally:
        thread.stop()
        thread.join(timeout=5)


def test_trainer_answers_probes_and_reports_bad_commands(trainer):
    thread, page = trainer
    thread.submit({"type": "gradcheck"})
    thread.submit({"type": "source", "column": 2})
    thread.submit({"type": "trace", "point": [1.0, -1.0], "label": 1})
    thread.submit({"type": "config", "config": {"hidden": [40]}})
    thread.submit({"type": "dance"})
    report = page.wait_for("gradcheck")[0]
    assert report["ok"] and report["worst"] < 1e-5
    assert [p["name"] for p in report["params"]] == [f"layers.{i}.{p}" for i in (0, 2, 4) for p in "Wb"]
    source = page.wait_for("source")[0]
    assert "def forward(self, x, t" in source["layers"][-1]["forward"]  # the output column shows its loss
    trace = page.wait_for("trace")[0]
    assert [f["out"] for f in trace["forward"]] == [[1, 4], [1, 4], [1, 2], [1, 2], [1, 2]]
    errors = page.wait_for("error", 2)
    assert "layer sizes from 1 to 16, got [40]" in errors[0]["message"]
    assert "unknown command type 'dance'" in errors[1]["message"]


# --- the server ----------------------------------------------------------------------------------


@pytest.fixture
def server():
    from nnscratch.playground.server import PlaygroundServer

    running = PlaygroundServer(port=0, seed=11).start()
    yield running
    running.shutdown()


def test_server_serves_the_page_and_its_modules_only(server):
    page = urllib.request.urlopen(server.url, timeout=5).read().decode()
    assert 'data-testid="boundary"' in page and "https://" not in page  # nothing from a CDN
    with urllib.request.urlopen(server.url + "js/main.js", timeout=5) as script:
        assert "javascript" in script.headers["Content-Type"] and "export" in script.read().decode()
    for path in ("js/../../server.py", "nothing.js", "js/"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(server.url + path, timeout=5)
        assert error.value.code == 404
        error.value.close()


def test_socket_refuses_other_origins_and_gives_each_tab_its_own_run(server):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    socket_url = f"ws://127.0.0.1:{server.port}/socket"
    with pytest.raises(InvalidStatus) as refused:
        connect(socket_url, origin="http://evil.example", open_timeout=5)
    assert refused.value.response.status_code == 403
    own = f"http://127.0.0.1:{server.port}"
    with connect(socket_url, origin=own) as first, connect(socket_url, origin=own) as second:
        assert json.loads(first.recv(timeout=5))["config"]["seed"] == 11
        json.loads(second.recv(timeout=5))
        first.send(json.dumps({"type": "config", "config": {"seed": 11, "dataset": "moons"}}))
        second.send(json.dumps({"type": "step"}))
        assert json.loads(first.recv(timeout=5))["type"] == "frame"
        first.recv(timeout=5)
        assert json.loads(first.recv(timeout=5))["config"]["dataset"] == "moons"
        assert json.loads(second.recv(timeout=5))["epoch"] == 0
        assert len(server.trainers) == 2
    deadline = time.monotonic() + 5
    while server.trainers:  # closing a tab ends its trainer
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_the_command_prints_its_url_serves_and_ctrl_c_stops_everything():
    import re
    import signal

    from websockets.sync.client import connect

    command = [sys.executable, "-m", "nnscratch", "playground", "--no-browser", "--port", "0", "--seed", "5"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.match(r"nnscratch playground: (http://127\.0\.0\.1:(\d+)/)", process.stdout.readline())
        assert url, "no URL printed"
        with urllib.request.urlopen(url.group(1), timeout=5) as page:
            assert b"nnscratch playground" in page.read()
        origin = url.group(1).rstrip("/")
        with connect(f"ws://127.0.0.1:{url.group(2)}/socket", origin=origin) as socket:
            assert json.loads(socket.recv(timeout=5))["config"]["seed"] == 5
            socket.send(json.dumps({"type": "play"}))
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "stopped" in out
