"""The benchmark scripts run (their numbers are claims only when run as benchmarks/README.md says)."""

import re
import sys
from pathlib import Path

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
