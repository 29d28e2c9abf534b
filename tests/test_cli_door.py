"""The door: no command line, however wrong, and no bad file ends in a traceback.

Every case is a mistake a user can make: an option out of range or not finite,
a seed below 0, sizes that need terabytes, data files that are junk, an output
folder that cannot be one. Each must end in one line on stderr that names the
command, with exit code 2 for a bad value and 1 for a run that failed.
"""

import gzip
import json
import lzma
import os
import subprocess
import sys
import tarfile
import zipfile
import zlib

import pytest

from nnscratch.cli import main as cli_main
from nnscratch.cli.main import main

# (argv, exit code, a piece of the one line). "{tmp}" is the test's own folder.
MISTAKES = [
    (["graph", "--x", "nan"], 2, "argument --x: expected a finite number, got 'nan'"),
    (["graph", "--x", "inf"], 2, "argument --x: expected a finite number, got 'inf'"),
    (["graph", "--x=-inf"], 2, "argument --x: expected a finite number, got '-inf'"),
    (["spiral", "--learning-rate", "nan"], 2, "argument --learning-rate: expected a finite number"),
    (["spiral", "--reg", "inf"], 2, "argument --reg: expected a finite number, got 'inf'"),
    (["spiral", "--learning-rate", "1e6", "--iterations", "5"], 1, "at iteration (epoch) 52; try a smaller learning"),
    (["spiral", "--seed", "-3"], 2, "argument --seed: expected an integer >= 0, got '-3'"),
    (["spiral", "--hidden-size", "100000000000", "--iterations", "2"], 1, "not enough memory"),
    (["descent", "--learning-rate", "inf"], 2, "argument --learning-rate: expected a finite number"),
    (["descent", "--steps", "-1"], 2, "argument --steps: expected a positive integer"),
    (["gradcheck", "--hidden-size", "1000000000000"], 1, "not enough memory"),
    (["gradcheck", "--samples", "1000000000000"], 1, "not enough memory"),
    (["gradcheck", "--weight-init-std", "nan"], 2, "argument --weight-init-std: expected a finite number"),
    (["fashion", "--dropout", "nan", "--data-dir", "{tmp}/junk"], 2, "argument --dropout: expected a finite number"),
    (["fashion", "--dropout", "1", "--data-dir", "{tmp}/junk"], 2, "argument --dropout: expected a number in [0, 1)"),
    (["cifar10", "--lr-decay", "nan", "--data-dir", "{tmp}/junk"], 2, "argument --lr-decay: expected a finite"),
    (["cifar10", "--lr-decay", "0", "--data-dir", "{tmp}/junk"], 2, "argument --lr-decay: expected a number in (0, 1]"),
    (["cifar10", "--reg", "-inf", "--data-dir", "{tmp}/junk"], 2, "argument --reg: expected one argument"),
    (["mnist", "--data-dir", "{tmp}/junk", "--epochs", "1"], 2, "is not a valid gzip file"),
    (["fashion", "--data-dir", "{tmp}/junk", "--epochs", "1"], 2, "is not a valid gzip file"),
    (["cifar10", "--data-dir", "{tmp}/junk", "--epochs", "1"], 2, "is not the official cifar-10-binary.tar.gz"),
    (["xor", "--hidden-size", "2", "3"], 2, "--hidden-size takes one size for a two-layer net, got [2, 3]"),
    (["xor", "--seed", "-5"], 2, "argument --seed: expected an integer >= 0, got '-5'"),
    (["xor", "--device", "tpu"], 2, "argument --device: invalid choice: 'tpu'"),
    (["xor", "--epochs", "1", "--output-dir", "{tmp}/a-file"], 1, "a-file is a file, not a folder"),
    (["iris", "--batch-size", "0"], 2, "argument --batch-size: expected a positive integer, got '0'"),
    (["iris", "--learning-rate", "-inf"], 2, "argument --learning-rate: expected one argument"),
    (["iris", "--seed", "1.5"], 2, "argument --seed: expected an integer >= 0, got '1.5'"),
    (["digits", "--hidden-size", "0"], 2, "argument --hidden-size: expected a positive integer, got '0'"),
    (["check", "{tmp}/broken.py"], 2, "cannot load"),
    (["check", "{tmp}/missing.py"], 2, "no such file"),
    (["sweep", "--space", "{tmp}/broken.toml", "--trials", "1"], 2, "cannot read the search space"),
    (["lectures", "--lang", "xx"], 2, "argument --lang: invalid choice: 'xx'"),
    (["playground", "--port", "99999", "--no-browser"], 2, "argument --port: expected a port number"),
    (["numdiff", "--bogus"], 2, "unrecognized arguments: --bogus"),
    (["gates", "--seed", "many"], 2, "argument --seed: expected an integer >= 0, got 'many'"),
    (["forward", "--output-dir"], 2, "argument --output-dir: expected one argument"),
]


@pytest.fixture
def files(tmp_path):
    """Junk where data is looked for, a broken .py and TOML, a file where a folder should be."""
    junk = tmp_path / "junk"
    junk.mkdir()
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        (junk / name).write_bytes(b"not gzip")
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (junk / name).write_bytes(b"not gzip")
    (junk / "cifar-10-binary.tar.gz").write_bytes(b"not a tar")
    (tmp_path / "broken.py").write_text("def f(:\n")
    (tmp_path / "broken.toml").write_text("[x\n")
    (tmp_path / "a-file").write_text("")
    return tmp_path


def run_cli(argv, tmp_path, capsys):
    """(exit code, stderr) of ``nnscratch argv``; the experiment's output goes under ``tmp_path``."""
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    if argv[0] not in ("check", "lectures", "playground") and "--output-dir" not in argv:
        argv += ["--output-dir", str(tmp_path / "out")]
    try:
        code = main(argv)
    except SystemExit as exit_info:
        code = exit_info.code
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("argv", "code", "message"), MISTAKES, ids=[" ".join(m[0][:3]) for m in MISTAKES])
def test_a_mistake_is_one_line_and_an_exit_code(argv, code, message, files, capsys, monkeypatch):
    monkeypatch.delenv("NNSCRATCH_DEBUG", raising=False)
    got, err = run_cli(argv, files, capsys)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"nnscratch {argv[0]}: " if argv[1] != "--bogus" else "nnscratch: ")
    assert message in err
    assert got == code, err


def test_at_least_twenty_mistakes_over_every_command():
    from nnscratch.cli.commands import COMMANDS

    assert len(MISTAKES) >= 20
    assert {command.name for command in COMMANDS} <= {argv[0] for argv, _, _ in MISTAKES}


def test_spiral_divergence_writes_no_metrics(tmp_path, capsys):
    code, err = run_cli(["spiral", "--learning-rate", "1e6", "--iterations", "5"], tmp_path, capsys)
    assert code == 1
    assert err.strip() == (
        "nnscratch spiral: the loss became inf at iteration (epoch) 52; try a smaller learning rate (now 1e+06)"
    )
    assert not (tmp_path / "out" / "metrics.json").exists()


def test_a_batch_size_beyond_the_data_is_one_batch(tmp_path, capsys):
    """XOR has 4 rows: --batch-size 10**12 trains on batches of 4, not on 14.6 TiB of buffers."""
    code, err = run_cli(["xor", "--batch-size", "1000000000000", "--epochs", "3"], tmp_path, capsys)
    assert (code, err) == (0, "")
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert len(metrics["runs"]["two_layer"]["history"]) == 3


# What the door turns into one line, as raised by a command's code (bad file contents, archives).
RAISED = [
    (KeyError("epoch"), 2, "error: KeyError: 'epoch'"),
    (TypeError("list indices must be integers or slices, not str"), 2, "error: list indices must be"),
    (IndexError("tuple index out of range"), 2, "error: IndexError: tuple index out of range"),
    (ValueError("bad value\n  on two lines"), 2, "error: bad value on two lines"),
    (MemoryError(), 1, "not enough memory (no details)"),
    (EOFError("Compressed file ended before the end-of-stream marker was reached"), 1, "Compressed file ended"),
    (tarfile.ReadError("file could not be opened successfully"), 1, "file could not be opened"),
    (zipfile.BadZipFile("File is not a zip file"), 1, "File is not a zip file"),
    (gzip.BadGzipFile("Not a gzipped file (b'xx')"), 1, "Not a gzipped file"),
    (zlib.error("Error -3 while decompressing data"), 1, "Error -3 while decompressing"),
    (lzma.LZMAError("Input format not supported by decoder"), 1, "Input format not supported"),
    (PermissionError(13, "Permission denied", "runs/x"), 1, "Permission denied"),
    (KeyboardInterrupt(), 130, "interrupted"),
]


@pytest.mark.parametrize(("error", "code", "message"), RAISED, ids=[type(r[0]).__name__ for r in RAISED])
def test_what_a_command_raises_is_one_line(error, code, message, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NNSCRATCH_DEBUG", raising=False)

    def raising(args):
        raise error

    parser = cli_main.build_parser()
    monkeypatch.setattr(cli_main, "build_parser", lambda: _with_func(parser, raising))
    got, err = run_cli(["gates"], tmp_path, capsys)
    assert got == code
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("nnscratch gates: ") and message in err


def _with_func(parser, func):
    """``parser`` whose parse_args sets ``func`` to ``func`` (the command's code, replaced)."""
    parse = parser.parse_args

    def parse_args(argv=None):
        args = parse(argv)
        args.func = func
        return args

    parser.parse_args = parse_args
    return parser


def test_debug_variable_shows_the_traceback(tmp_path):
    """NNSCRATCH_DEBUG=1 is for finding a bug in nnscratch: the exception goes through."""
    argv = [sys.executable, "-m", "nnscratch", "gradcheck", "--samples", "1000000000000", "--output-dir", str(tmp_path)]
    plain = subprocess.run(argv, capture_output=True, text=True, check=False)
    debug = subprocess.run(argv, capture_output=True, text=True, check=False, env={**_env(), "NNSCRATCH_DEBUG": "1"})
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert debug.returncode == 1 and "Traceback" in debug.stderr and "MemoryError" in debug.stderr


def _env():
    return {key: value for key, value in os.environ.items() if key != "NNSCRATCH_DEBUG"}
