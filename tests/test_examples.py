"""The scripts in examples/ run as a learner runs them, and print what their lectures print."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")


def run(script, *args):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_numerical_gradient_example():
    out = run("seed004_numerical_gradient.py")
    assert "0.1999999999990898" in out and "[-0.0346  0.0461]" in out


def test_gates_and_backprop_example():
    out = run("seed002_gates_and_backprop.py")
    assert "1 1 | AND 1  NAND 0  OR 1  XOR 0" in out and "d/dtax: 650" in out


def test_spiral_example():
    out = run("seed000_spiral.py")
    accuracy = float(out.strip().splitlines()[-1].split()[-1])
    assert accuracy >= 0.98 and "good" in out


@pytest.mark.skipif(not FASHION_DIR.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_fashion_example_one_epoch():
    out = run("seed001_fashion_two_layer.py", "1")
    assert float(out.strip().splitlines()[-1].split()[-1]) > 0.6


@pytest.mark.skipif(not FASHION_DIR.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_simple_conv_net_example_checks_its_gradients_and_learns():
    out = run("simple_conv_net.py", "100")
    verdicts = [line.split() for line in out.splitlines() if line[:2] in ("W1", "b1", "W2", "b2", "W3", "b3")]
    assert len(verdicts) == 6 and all(float(row[3]) < 1e-7 and row[4] == "good" for row in verdicts)
    assert "'W2': (4320, 100)" in out
    assert float(out.strip().splitlines()[-1].split()[-1]) > 0.6  # 100 steps of Adam; chance is 0.1


def test_check_your_affine_example():
    out = run("check_your_affine.py")
    first, second = out.split("passed: False")
    assert "FAIL  backward-db       bias-grad-not-summed" in first and "7 passed, 3 failed" in first
    assert "10 passed, 0 failed" in second and second.strip().endswith("passed: True")


def test_my_layers_example_on_the_command_line():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [sys.executable, "-m", "nnscratch", "check", str(EXAMPLES / "my_layers.py"), "--lang", "en"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=120)
    assert result.returncode == 1, result.stderr
    assert re.search(r"FAIL  large-inputs +softmax-no-max-shift", result.stdout)
    assert result.stdout.strip().splitlines()[-1] == "27 passed, 1 failed, 1 warned"
