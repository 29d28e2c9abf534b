"""Hostile checkpoint and model files (issue 11, point 11): a ValueError naming the file, or the previous checkpoint.

Each hostile checkpoint is written with a correct SHA-256, so what catches it is the
check of its contents, not the digest.
"""

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from nnscratch import Adam, Sequential, io, mlp
from nnscratch.models.network import METADATA_KEY
from nnscratch.train import Trainer
from nnscratch.train import checkpoint as ckpt

DEEP = "[" * 100_000 + "]" * 100_000  # parses only with a deeper stack than Python's


def blobs(n=60, seed=0):
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 3, n)
    return (rng.standard_normal((3, 4))[t] * 3 + rng.standard_normal((n, 4))).astype(np.float32), t


@pytest.fixture
def checkpoints(tmp_path):
    """A folder with the checkpoints of epochs 1 and 2 of a small Adam run."""
    model = mlp(4, [5], 3, seed=0)
    Trainer(model, Adam(0.01), batch_size=20, seed=0, output_dir=tmp_path, progress="none").fit(*blobs(), 2)
    return tmp_path / "checkpoints"


def rewrite(folder, epoch=2, info=None, arrays=None):
    """Replace checkpoint ``epoch``'s JSON with ``info(old)`` and its arrays with ``arrays(old)``, digest fixed."""
    json_path = folder / f"epoch-{epoch:04d}.json"
    old_info = json.loads(json_path.read_text())
    if arrays is not None:
        npz = folder / f"epoch-{epoch:04d}.npz"
        with np.load(npz) as archive:
            new = arrays({name: archive[name] for name in archive.files})
        np.savez(npz, **new)
        old_info["sha256"] = hashlib.sha256(npz.read_bytes()).hexdigest()
    body = old_info if info is None else info(old_info)
    json_path.write_text(body if isinstance(body, str) else json.dumps(body))


def falls_back(folder, match):
    """The newest checkpoint is refused with a warning matching ``match``; epoch 1 is used instead."""
    with pytest.warns(UserWarning, match=match) as warned:
        found = ckpt.load_latest(folder)
    assert found.epoch == 1
    assert "epoch-0002" in str(warned[0].message)


def with_key(info, key, value):
    return {**info, key: value}


HOSTILE_JSON = {
    "a list": (lambda info: [info], "must hold a JSON object, got a list"),
    "no epoch": (lambda info: {k: v for k, v in info.items() if k != "epoch"}, "'epoch' must be a int, got nothing"),
    "epoch as text": (lambda info: with_key(info, "epoch", "2"), "'epoch' must be a int, got str"),
    "epoch of another file": (lambda info: with_key(info, "epoch", 7), "records epoch 7, not the 2"),
    "short history": (lambda info: with_key(info, "history", info["history"][:1]), "one record per epoch"),
    "no digest": (lambda info: {k: v for k, v in info.items() if k != "sha256"}, "'sha256' must be a str"),
    "bad generator": (lambda info: with_key(info, "rng", {"bit_generator": "PCG64"}), "not a random generator"),
    "bad model generator": (lambda info: with_key(info, "model_rngs", {"0": []}), "not a random generator"),
    "nested too deeply": (lambda info: DEEP, "nested too deeply"),
    "not JSON": (lambda info: "{epoch: 2", "unreadable"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_JSON))
def test_hostile_checkpoint_json_falls_back_to_the_previous_checkpoint(checkpoints, case):
    change, match = HOSTILE_JSON[case]
    rewrite(checkpoints, info=change)
    falls_back(checkpoints, match)


def retype(name, dtype):
    def change(arrays):
        return {**arrays, name: arrays[name].astype(dtype)}

    return change


HOSTILE_ARRAYS = {
    "string weights": (retype("model/layers.0.W", "U8"), r"model/layers.0.W holds dtype <U8"),
    "bool weights": (retype("model/layers.0.W", bool), "holds dtype bool"),
    "complex weights": (retype("model/layers.0.W", complex), "holds dtype complex128"),
    "NaN weights": (lambda a: {**a, "model/layers.0.b": a["model/layers.0.b"] * np.nan}, "NaN or infinite"),
    "slot of the wrong shape": (
        lambda a: {**a, "optim/layers.0.W/m": np.zeros(3, np.float32)},
        r"optim/layers.0.W/m has shape \(3,\), expected \(4, 5\)",
    ),
    "slot of no parameter": (
        lambda a: {**a, "optim/layers.9.W/m": np.zeros(3, np.float32)},
        "expected an array of the model",
    ),
    "a stray name": (lambda a: {**a, "extra": np.zeros(1)}, "holds 'extra'"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_ARRAYS))
def test_hostile_checkpoint_arrays_fall_back_to_the_previous_checkpoint(checkpoints, case):
    change, match = HOSTILE_ARRAYS[case]
    rewrite(checkpoints, arrays=change)
    falls_back(checkpoints, match)


def test_the_digest_is_of_the_bytes_written_not_of_the_file_later(tmp_path, monkeypatch):
    """Another writer replacing an ``.npz`` after it was written must not pass the digest check."""
    real = io.save_npz

    def save_then_replaced(path, arrays, **kwargs):
        written = real(path, arrays, **kwargs)
        if Path(path).name == "epoch-0002.npz":
            np.savez(path, **{name: value + 1 for name, value in arrays.items()})
        return written

    monkeypatch.setattr(io, "save_npz", save_then_replaced)
    Trainer(mlp(4, [5], 3, seed=0), Adam(0.01), batch_size=20, output_dir=tmp_path, progress="none").fit(*blobs(), 2)
    falls_back(tmp_path / "checkpoints", "epoch-0002.npz is damaged: its SHA-256 does not match")


def npy_claiming(shape, dtype="<f8", payload=b"\0" * 16):
    """An ``.npy`` member whose header claims ``shape`` but which holds ``payload``."""
    header = {"descr": dtype, "fortran_order": False, "shape": shape}
    return np.lib.format.magic(1, 0) + _padded(repr(header)) + payload


def _padded(header):
    text = header + " " * (63 - (len(header) + 10) % 64) + "\n"
    return len(text).to_bytes(2, "little") + text.encode("latin1")


def write_zip(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)


def test_an_npz_claiming_8_tib_is_refused_before_anything_is_allocated(tmp_path):
    path = tmp_path / "huge.npz"
    write_zip(path, {"W.npy": npy_claiming((1 << 40,))})  # 2**40 float64 = 8 TiB, in a 200-byte file
    with pytest.raises(ValueError, match=r"huge.npz .*shape \(1099511627776,\) of float64 \(8,796,093,022,208 bytes"):
        io.load_npz(path)


@pytest.mark.parametrize(
    "body, match",
    [
        (npy_claiming((3,), payload=b"\0" * 16), r"\(24 bytes\), but it holds 16"),
        (npy_claiming((2,), dtype="|O", payload=b"\0" * 16), "Python objects"),
        (b"\x93NUMPY\x09\x00rest", "not a valid .npz file"),
        (b"not an npy file at all", "not a valid .npz file"),
    ],
    ids=["too short", "objects", "unknown version", "no magic"],
)
def test_npz_members_that_lie_are_refused(tmp_path, body, match):
    path = tmp_path / "lying.npz"
    write_zip(path, {"W.npy": body})
    with pytest.raises(ValueError, match=match):
        io.load_npz(path)


def test_a_pickled_npz_is_refused(tmp_path):
    path = tmp_path / "pickled.npz"
    np.savez(path, W=np.array([{"evil": 1}], dtype=object))
    with pytest.raises(ValueError, match="pickled.npz .*Python objects"):
        io.load_npz(path)


def test_a_checkpoint_whose_npz_claims_8_tib_falls_back(checkpoints):
    npz = checkpoints / "epoch-0002.npz"
    write_zip(npz, {"model/layers.0.W.npy": npy_claiming((1 << 40,))})
    rewrite(checkpoints, info=lambda info: with_key(info, "sha256", hashlib.sha256(npz.read_bytes()).hexdigest()))
    falls_back(checkpoints, "8,796,093,022,208 bytes")


# ---- Sequential.from_file and Network.load ------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path):
    model = mlp(4, [5], 3, seed=0)
    path = model.save(tmp_path / "model.npz")
    return model, path


def edit_save(path, arrays=None, meta=None):
    """Rewrite a ``Sequential.save`` file with ``arrays(old)`` and metadata ``meta(old)``."""
    old = io.load_npz(path)
    new = arrays(old) if arrays is not None else old
    if meta is not None:
        text = meta(json.loads(str(old[METADATA_KEY])))
        new[METADATA_KEY] = np.array(text if isinstance(text, str) else json.dumps(text))
    np.savez(path, **new)


def first_layer(meta, **changes):
    return {**meta, "layers": [{**meta["layers"][0], **changes}, *meta["layers"][1:]]}


HOSTILE_SAVES = {
    "string weights": ({"arrays": retype("layers.0.W", "U8")}, "W must be a numeric array"),
    "bool weights": ({"arrays": retype("layers.0.W", bool)}, "W must be a numeric array"),
    "complex weights": ({"arrays": retype("layers.0.W", complex)}, "W must be a numeric array"),
    "missing weights": ({"arrays": lambda a: {k: v for k, v in a.items() if k != "layers.2.b"}}, "has no stored 'b'"),
    "weights of the wrong shape": ({"arrays": lambda a: {**a, "layers.0.b": np.zeros(7)}}, "b must have shape"),
    "no architecture": ({"arrays": lambda a: {k: v for k, v in a.items() if k != METADATA_KEY}}, "no architecture"),
    "architecture as numbers": ({"arrays": lambda a: {**a, METADATA_KEY: np.zeros(3)}}, "no architecture"),
    "a list": ({"meta": lambda m: [m]}, "holds a list, not a Sequential"),
    "no layers": ({"meta": lambda m: {k: v for k, v in m.items() if k != "layers"}}, "needs 'layers'"),
    "layer without config": ({"meta": lambda m: first_layer(m, config=None)}, "needs 'layers'"),
    "unknown layer": ({"meta": lambda m: first_layer(m, **{"class": "Evil"})}, "no layer named 'Evil'"),
    "unknown option": ({"meta": lambda m: first_layer(m, config={"evil": 1})}, r"layer 0 \(Affine\) cannot be rebuilt"),
    "unknown loss": ({"meta": lambda m: {**m, "loss": "Evil"}}, "no layer named 'Evil'"),
    "bad reg": ({"meta": lambda m: {**m, "reg": "lots"}}, "stored loss or reg is not usable"),
    "nested too deeply": ({"meta": lambda m: DEEP}, "nested too deeply"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_SAVES))
def test_hostile_saved_models_give_a_value_error_naming_the_file(saved, case):
    _, path = saved
    change, match = HOSTILE_SAVES[case]
    edit_save(path, **change)
    with pytest.raises(ValueError, match=match) as caught:
        Sequential.from_file(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("dtype", ["U8", bool, complex])
def test_network_load_refuses_weights_that_are_not_real_numbers(saved, dtype):
    model, path = saved
    before = model.params["layers.0.W"].copy()
    edit_save(path, arrays=retype("layers.0.W", dtype))
    with pytest.raises(ValueError, match=f"{path}: layers.0.W holds"):
        model.load(path)
    np.testing.assert_array_equal(model.params["layers.0.W"], before)  # nothing half-loaded


def test_a_good_save_still_round_trips(saved):
    model, path = saved
    again = Sequential.from_file(path)
    x = blobs()[0]
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
