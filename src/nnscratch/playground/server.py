"""The page and its socket on one port: websockets' synchronous server, one trainer per socket.

``GET /`` and the files under ``static/`` are plain HTTP; ``/socket`` upgrades to a
websocket after two checks against other web sites driving the trainer: the ``Host`` must
name this server (no DNS rebinding) and the ``Origin`` must be the page's own.
"""

import http
import json
import mimetypes
import threading
from importlib import resources

from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Response
from websockets.sync.server import serve

from nnscratch.playground.trainer import PageClosedError, Trainer

STATIC = resources.files("nnscratch.playground") / "static"
SOCKET_PATH = "/socket"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class PlaygroundServer:
    """Serves the playground on ``host:port`` (port 0 picks a free one).

    Parameters
    ----------
    host : str, default="127.0.0.1"
    port : int, default=0
    seed : int, default=0
        The seed of a page whose URL names none.

    Attributes
    ----------
    url : str
        Where the page is, e.g. ``http://127.0.0.1:8765/``.
    """

    def __init__(self, host="127.0.0.1", port=0, seed=0):
        self.seed = seed
        self.trainers = set()
        self.connections = set()
        self.lock = threading.Lock()
        self.server = serve(self.handle, host, port, process_request=self.process_request, compression=None)
        self.port = self.server.socket.getsockname()[1]
        name = f"[{host}]" if ":" in host else host
        self.url = f"http://{name}:{self.port}/"
        self.hosts = {f"{n}:{self.port}" for n in (name, *LOOPBACK_NAMES)}
        self.thread = None

    def serve_forever(self):
        """Serve until :meth:`shutdown` (from another thread) or Ctrl+C."""
        self.server.serve_forever()

    def start(self):
        """Serve on a background thread; return self (for tests and scripts)."""
        self.thread = threading.Thread(target=self.serve_forever, daemon=True, name="nnscratch-playground-server")
        self.thread.start()
        return self

    def shutdown(self):
        """Stop accepting, close every page's socket and end every trainer."""
        self.server.shutdown()
        with self.lock:
            connections, trainers = list(self.connections), list(self.trainers)
        for connection in connections:
            connection.close()
        for trainer in trainers:
            trainer.stop()
            trainer.join(timeout=5)
        if self.thread is not None:
            self.thread.join(timeout=5)

    def process_request(self, connection, request):
        """Answer plain HTTP with a static file; let only this server's own page open the socket."""
        path = request.path.split("?", 1)[0]
        if path == SOCKET_PATH:
            host = request.headers.get("Host", "")
            if host not in self.hosts or request.headers.get("Origin") != f"http://{host}":
                return connection.respond(
                    http.HTTPStatus.FORBIDDEN, "The playground's socket serves its own page only.\n"
                )
            return None
        return static_file(connection, "index.html" if path == "/" else path.lstrip("/"))

    def handle(self, connection):
        """One page: a trainer of its own, fed with the page's commands until the socket closes."""

        def send(message):
            try:
                connection.send(message)
            except ConnectionClosed:
                raise PageClosedError from None

        trainer = Trainer(send, {"seed": self.seed})
        with self.lock:
            self.connections.add(connection)
            self.trainers.add(trainer)
        trainer.start()
        try:
            for message in connection:
                command = json.loads(message) if isinstance(message, str) else None
                if isinstance(command, dict):
                    trainer.submit(command)
        except (ConnectionClosed, json.JSONDecodeError):
            pass  # a page that closes or talks nonsense just ends its run
        finally:
            trainer.stop()
            trainer.join()
            with self.lock:
                self.connections.discard(connection)
                self.trainers.discard(trainer)


def static_file(connection, relative):
    """A file from ``static/`` (404 for anything else, including paths that climb out)."""
    parts = relative.split("/")
    if any(part in ("", ".", "..") or "\\" in part for part in parts):
        return connection.respond(http.HTTPStatus.NOT_FOUND, "Not found.\n")
    file = STATIC.joinpath(*parts)
    if not file.is_file():
        return connection.respond(http.HTTPStatus.NOT_FOUND, "Not found.\n")
    body = file.read_bytes()
    kind = mimetypes.guess_type(parts[-1])[0] or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith("javascript"):
        kind += "; charset=utf-8"
    headers = Headers({"Content-Type": kind, "Content-Length": str(len(body)), "Cache-Control": "no-cache"})
    return Response(http.HTTPStatus.OK, "OK", headers, body)
