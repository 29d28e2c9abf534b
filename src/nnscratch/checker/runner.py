"""The checker's side of the sandbox: a child process per run, a time limit per object.

When an object's checks run past the limit, or the child dies (a crash, a
``sys.exit`` in the learner's code), that check ends as ERROR and a new
child carries on with the objects not yet checked. The checker itself never
hangs and never dies with the learner's code.
"""

import json
import multiprocessing
import time

from nnscratch.checker import worker
from nnscratch.checker.compare import ERROR, result
from nnscratch.checker.names import recognised_hint

DEFAULT_TIMEOUT = 20.0


class CheckError(ValueError):
    """The code cannot be checked: it does not load, or has nothing with a recognised name."""


def _context():
    # fork lets a class typed in a notebook be checked. Where fork is missing (Windows), spawn
    # pickles the objects by reference: they must be importable, and a script that checks its
    # own classes must guard its top level with `if __name__ == "__main__":`.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _receive(conn, seconds):
    """The next message, or None when ``seconds`` pass or the child is gone."""
    try:
        if conn.poll(max(seconds, 0.0)):
            return json.loads(conn.recv_bytes())
    except (EOFError, OSError):
        pass
    return None


def _lost(process, check, timeout):
    """The ERROR result for the check that was running when the child stopped answering."""
    process.join(0.5)  # a child that closed the pipe by exiting needs a moment to be reaped
    if process.is_alive():
        return result(check, ERROR, "timeout", seconds=f"{timeout:g}")
    return result(check, ERROR, "crashed", code=process.exitcode)


def _first_message(conn, process, label, timeout):
    message = _receive(conn, timeout)
    if message is None:
        if process.is_alive():
            raise CheckError(f"loading {label} did not finish within {timeout:g} s (an endless loop at import?)")
        raise CheckError(f"loading {label} ended the process (exit code {process.exitcode})")
    if message[0] == "load-error":
        raise CheckError(f"cannot load {label}: {message[1]}")
    return message[1]


def _one_child(source, label, only, timeout, objects):
    """Run one child over the objects not yet in ``objects``; True when all are done."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=worker.serve, args=(sender, source, only, list(objects)), daemon=True)
    process.start()
    sender.close()
    try:
        names = _first_message(receiver, process, label, timeout)
        if not names:
            wanted = f" among --only {', '.join(sorted(only))}" if only else ""
            raise CheckError(f"nothing in {label} has a name the checker knows{wanted}; {recognised_hint()}")
        current, check, deadline = None, "load", time.monotonic() + timeout
        while True:
            message = _receive(receiver, deadline - time.monotonic())
            if message is None:
                if current is None:
                    raise CheckError(f"checking {label} ended unexpectedly (exit code {process.exitcode})")
                objects[current].append(_lost(process, check, timeout))
                return False
            if message[0] == "object":
                current, deadline = message[1], time.monotonic() + timeout
                objects[current] = []
            elif message[0] == "check":
                check = message[1]
            elif message[0] == "result":
                objects[current].append(message[1])
            elif message[0] == "done":
                return True
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()


def run(source, label, only=None, timeout=DEFAULT_TIMEOUT):
    """Check every recognised object of ``source`` in child processes.

    Parameters
    ----------
    source : tuple
        ``("path", str)``, ``("module", str)`` or ``("objects", dict)``.
    label : str
        How to name the source in messages.
    only : collection of str, optional
        Check only these names.
    timeout : float
        Seconds each object's checks (and the loading) may take.

    Returns
    -------
    dict[str, list of dict]
        The results of each object's checks, in the order they ran.
    """
    objects = {}
    while not _one_child(source, label, only, timeout, objects):
        pass
    return objects
