"""Fault tests (issue 11): a full disk during every kind of write, SIGKILL during a checkpoint write, two runs.

A full disk is simulated by wrapping the file objects ``os.fdopen`` returns (every atomic
write of ``nnscratch.io`` and every download opens its temporary file that way): once the
chosen file has received ``BUDGET`` bytes, writing raises ``OSError(ENOSPC)``, after the
bytes that fit, as a real disk does.
"""

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nnscratch import io
from nnscratch.cli.main import main
from nnscratch.data.download import DownloadError, Resource, download

from servers import FileServer

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names open files through /proc")

BUDGET = 100
IRIS = ["iris", "--print-every", "1"]


class FullDisk:
    """A file whose writes fail with ENOSPC once ``budget`` bytes are in."""

    def __init__(self, handle, budget):
        self._handle, self._left = handle, budget

    def write(self, data):
        data = bytes(data)
        if len(data) > self._left:
            self._handle.write(data[: self._left])
            self._left = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._left -= len(data)
        return self._handle.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()

    def __getattr__(self, name):  # flush, fileno, tell, seek, close: the real file's
        return getattr(self._handle, name)


def fill_disk_on(monkeypatch, fragment):
    """From now on, a file whose temporary name contains ``fragment`` meets a full disk."""
    real = os.fdopen

    def fdopen(fd, *args, **kwargs):
        handle = real(fd, *args, **kwargs)
        return FullDisk(handle, BUDGET) if fragment in os.readlink(f"/proc/self/fd/{fd}") else handle

    monkeypatch.setattr(os, "fdopen", fdopen)


def files_of(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def whole(path):
    """Whether ``path`` is a complete file of its kind (JSON, ``.npz``, PNG, the lock)."""
    if path.suffix == ".json":
        json.loads(path.read_text())
    elif path.suffix == ".npz":
        io.load_npz(path)
    elif path.suffix == ".png":
        return path.read_bytes().endswith(b"IEND\xaeB`\x82")  # a PNG's last chunk
    return True


# What each kind of write in a resumed run (epochs 3 and 4 after 1 and 2) meets the full disk on.
WRITES = {
    "checkpoint npz": "epoch-0003.npz",
    "checkpoint json": "epoch-0003.json",
    "final weights": "model.npz",
    "plot": "history.png",
    "metrics.json": "metrics.json",
}


@pytest.mark.parametrize("kind", sorted(WRITES))
def test_a_full_disk_is_one_line_and_loses_no_earlier_file(tmp_path, monkeypatch, capsys, kind):
    out = tmp_path / "run"
    assert main([*IRIS, "--epochs", "2", "--output-dir", str(out)]) == 0
    before = files_of(out)
    capsys.readouterr()

    with monkeypatch.context() as patch:
        fill_disk_on(patch, WRITES[kind])
        assert main([*IRIS, "--epochs", "4", "--resume", "--output-dir", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"could not write {out}" in err and WRITES[kind] in err and "No space left on device" in err
    after = files_of(out)
    assert not [name for name in after if io.TEMP_NAME.match(Path(name).name)]  # no torn leftovers
    assert all(whole(out / name) for name in after), "a file was left half written"
    target = "checkpoints/" + WRITES[kind] if kind.startswith("checkpoint") else WRITES[kind]
    assert target not in after or after[target] == before.get(target), "the earlier file was replaced"
    if kind.startswith("checkpoint"):  # epochs 1 and 2 are what a resume needs: untouched
        assert all(after.get(k) == v for k, v in before.items() if k.startswith("checkpoints/"))

    assert main([*IRIS, "--epochs", "4", "--resume", "--output-dir", str(out)]) == 0  # the disk has room again
    history = json.loads((out / "metrics.json").read_text())["runs"]["softmax"]["history"]
    assert [r["epoch"] for r in history] == [1, 2, 3, 4]


def test_a_full_disk_during_a_download_leaves_no_part_file(tmp_path, monkeypatch):
    body = b"the real file " * 100
    resource = Resource("data.bin", hashlib.md5(body).hexdigest(), len(body))
    fill_disk_on(monkeypatch, "data.bin")
    with FileServer({"data.bin": body}) as server, pytest.raises(DownloadError) as caught:
        download(resource, tmp_path, [server.url("good")], timeout=5)
    assert "No space left on device" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


CHILD = """
import os, sys, time
from pathlib import Path

fragment, paused = sys.argv[1], Path(sys.argv[2])
real = os.fdopen


def fdopen(fd, *args, **kwargs):
    handle = real(fd, *args, **kwargs)
    if fragment in os.readlink(f"/proc/self/fd/{fd}"):
        handle.write(b"half a file")  # torn: the process dies mid-write
        handle.flush()
        paused.write_text("paused")
        time.sleep(600)
    return handle


os.fdopen = fdopen
from nnscratch.cli.main import main

sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.parametrize("fragment", ["epoch-0003.npz", "epoch-0003.json"])
def test_sigkill_mid_checkpoint_write_then_resume(tmp_path, capsys, fragment):
    out, paused, script = tmp_path / "run", tmp_path / "paused", tmp_path / "child.py"
    script.write_text(CHILD)
    argv = [*IRIS, "--epochs", "5", "--output-dir", str(out)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen([sys.executable, str(script), fragment, str(paused), *argv], env=env)
    try:
        deadline = time.monotonic() + 120
        while not paused.exists():
            assert time.monotonic() < deadline and child.poll() is None, "the child never reached the write"
            time.sleep(0.05)
        # Two runs on one folder: the second, here, is refused while the first holds it.
        assert main([*argv, "--resume"]) == 1
        assert f"in use by another run (pid {child.pid}" in capsys.readouterr().err
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    torn = [p for p in (out / "checkpoints").iterdir() if io.TEMP_NAME.match(p.name)]
    assert len(torn) == 1 and torn[0].read_bytes() == b"half a file"
    assert not (out / "checkpoints" / "epoch-0003.json").exists()

    assert main([*argv, "--resume"]) == 0  # the lock died with the child
    printed = capsys.readouterr().out
    assert "removed 1 temporary file(s)" in printed
    history = json.loads((out / "metrics.json").read_text())["runs"]["softmax"]["history"]
    assert [r["epoch"] for r in history] == [1, 2, 3, 4, 5]
    assert not [p for p in out.rglob("*") if io.TEMP_NAME.match(p.name)]
