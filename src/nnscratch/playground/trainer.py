"""The trainer thread: one per page, the only thread that touches that page's :class:`Session`.

The socket's thread only parses messages and queues them here. The trainer trains while
playing and, between epochs, handles queued commands and sends a frame whenever the page
has said ``ready`` (it has drawn the last one) and something changed since. So the page
gets frames as fast as it can draw them and never a backlog, and training never waits
for drawing.
"""

import json
import queue
import threading

import numpy as np

from nnscratch.playground import probes
from nnscratch.playground.export import exported_files
from nnscratch.playground.frames import finite_or_null
from nnscratch.playground.session import Session

STOP = object()


class PageClosedError(Exception):
    """Raised by ``send`` when the page has closed its socket: the trainer ends quietly."""


class Trainer(threading.Thread):
    """Runs one page's session on its own thread.

    Parameters
    ----------
    send : callable
        ``send(message)`` with a str (JSON) or bytes; called only from this thread.
        It raises :class:`PageClosedError` once the page is closed.
    config : dict, optional
        The first configuration.

    Attributes
    ----------
    session : Session
    playing : bool
    """

    def __init__(self, send, config=None):
        super().__init__(daemon=True, name="nnscratch-playground-trainer")
        self.send = send
        self.session = Session(config)
        self.commands = queue.Queue()
        self.playing = False
        self.steps_left = 0  # epochs asked for by "step"
        self.page_ready = True  # the page can take a frame
        self.changed = True  # the page has not seen the current state

    def submit(self, command):
        """Queue a command (a dict with ``type``) from any thread."""
        self.commands.put(command)

    def stop(self):
        """Ask the thread to end after its current epoch (then ``join`` it)."""
        self.commands.put(STOP)

    def run(self):
        try:
            self.loop()
        except PageClosedError:
            return

    def loop(self):
        """Train, answer and send frames until :meth:`stop`."""
        self.send_points()
        while True:
            busy = self.playing or self.steps_left or (self.page_ready and self.changed)
            try:
                command = self.commands.get_nowait() if busy else self.commands.get()
            except queue.Empty:
                command = None
            if command is STOP:
                return
            if command is not None:
                self.handle(command)
            elif self.playing or self.steps_left:
                with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported in the frame
                    self.session.train_epoch()
                self.steps_left = max(self.steps_left - 1, 0)
                self.changed = True
            if self.page_ready and self.changed:
                self.send_frame()

    def send_frame(self):
        message, data = self.session.frame()
        if message["diverged"]:
            self.playing = False  # nothing more to learn from NaN; the page tells the user why it stopped
        self.page_ready = self.changed = False
        self.send(json.dumps(message, allow_nan=False))
        self.send(data)

    def send_points(self):
        self.send(json.dumps(self.session.points()))

    def handle(self, command):
        """Apply one command from the page; a bad one is answered with an ``error`` message."""
        kind = command.get("type")
        try:
            reply = self.apply(kind, command)
        except KeyError as error:
            reply = {"type": "error", "command": kind, "message": f"the {kind!r} command needs the key {error}"}
        except Exception as error:  # any other failure: the page hears of it and the thread lives on
            reply = {"type": "error", "command": kind, "message": f"{type(error).__name__}: {error}"}
        if reply is not None:
            self.send(json.dumps(finite_or_null(reply), allow_nan=False))

    def apply(self, kind, command):
        """Do what ``command`` asks; return the reply message (a dict) or None."""
        if kind == "ready":
            self.page_ready = True
        elif kind in ("play", "pause"):
            self.playing = kind == "play"
        elif kind == "step":
            self.playing, self.steps_left = False, self.steps_left + 1
        elif kind in ("config", "reset"):
            self.session.reset(command["config"] if kind == "config" else None)
            self.steps_left, self.changed = 0, True
            return self.session.points()
        elif kind == "trace":
            return probes.trace(self.session, command["point"], command["label"])
        elif kind == "gradcheck":
            return probes.check_gradients(self.session)
        elif kind == "source":
            return probes.layer_source(self.session, command["column"])
        elif kind == "export":
            return exported_files(self.session)
        else:
            raise ValueError(f"unknown command type {kind!r}")
        return None
