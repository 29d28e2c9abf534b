"""The learner's side of the sandbox: load their code, run the checks, report.

Runs in a child process. Messages go to the parent as JSON over a pipe,
one at a time, so the parent knows which object and which check were
running when a time limit ran out or the process died:
``["loaded", names]``, ``["object", name]``, ``["check", name]``,
``["result", result]``, ``["done"]`` or ``["load-error", text]``.
"""

import importlib
import importlib.util
import json
import os
import sys
import traceback
import warnings
from pathlib import Path

import numpy as np

from nnscratch.checker.compare import ERROR, FAIL, result
from nnscratch.checker.names import recognised_objects
from nnscratch.checker.registry import checks_for


def _send(conn, *message):
    conn.send_bytes(json.dumps(message).encode())


def _silence():
    """The learner's prints must not mix with the report (or break the JSON on stdout)."""
    # No flush of the inherited streams: the parent flushed before forking, and in a notebook
    # kernel flushing them would wait for a thread that the child does not have.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process


def load(source, only):
    """``{name: object}`` to check, from ``("path", str)``, ``("module", str)`` or ``("objects", dict)``."""
    how, what = source
    if how == "objects":
        return recognised_objects(what, only)
    if how == "module":
        sys.path.insert(0, os.getcwd())  # as `python -c "import package.module"` would find it
        return recognised_objects(vars(importlib.import_module(what)), only)
    path = Path(what).resolve()
    sys.path.insert(0, str(path.parent))  # the learner's own helper modules sit beside the file
    spec = importlib.util.spec_from_file_location(f"learner_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return recognised_objects(vars(module), only)


def learner_line(error):
    """``file.py:12 in backward``: the innermost frame outside NumPy and nnscratch, or ""."""
    library = (str(Path(np.__file__).parent), str(Path(__file__).parent.parent))
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.startswith(library)]
    if isinstance(error, SyntaxError) and error.lineno:
        return f"{Path(error.filename or '?').name}:{error.lineno}"
    if not frames:
        return ""
    frame = frames[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"


def describe_error(error):
    text = f"{type(error).__name__}: {error}"[:300]
    line = learner_line(error)
    return f"{text} ({line})" if line else text


def run_one(check, func, diagnose):
    """One check's result; an exception in the learner's code becomes ERROR, or FAIL if it is a known mistake."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return func()
    except Exception as error:
        mistake = diagnose(error) if diagnose else None
        if mistake is not None:
            return result(check, FAIL, mistake, mistake)
        return result(check, ERROR, "exception", text=describe_error(error))


def serve(conn, source, only, skip):
    """Child process entry: load, then check every object not in ``skip``."""
    _silence()
    try:
        objects = load(source, only)
    except BaseException as error:  # SystemExit or KeyboardInterrupt at import are load errors too
        _send(conn, "load-error", describe_error(error))
        return
    _send(conn, "loaded", list(objects))
    for name, obj in objects.items():
        if name in skip:
            continue
        _send(conn, "object", name)
        checks, diagnose = checks_for(name, obj)
        for check, func in checks:
            _send(conn, "check", check)
            _send(conn, "result", run_one(check, func, diagnose))
    _send(conn, "done")
