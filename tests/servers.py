"""A local HTTP server for download tests: good, wrong, slow and lying copies of files."""

import contextlib
import http.server
import socket
import threading
import time

# Mirrors that answer with a well-formed response whose body is the file, changed or not.
BODY_MIRRORS = ("good", "wrong", "truncated", "lying", "endless", "slow", "incomplete", "badstatus")


class FileServer:
    """Serves ``files`` (name -> bytes) on 127.0.0.1 under several mirrors.

    ``/good/<name>`` gives the bytes, ``/wrong/<name>`` the bytes with one
    changed, ``/truncated/<name>`` the first half. The hostile ones:
    ``/lying/<name>`` announces a ``Content-Length`` 1000 bytes too long,
    ``/endless/<name>`` sends the bytes and then zeros, up to 64 MiB, with no
    ``Content-Length``; ``/slow/<name>`` sends one byte every ``trickle_s``
    seconds; ``/incomplete/<name>`` announces the full length, sends half and
    hangs up; ``/badstatus/<name>`` answers with a status line that is not
    HTTP. ``down_url`` is a mirror on a closed port.
    """

    def __init__(self, files, trickle_s=0.02):
        self.files, self.requests, self.trickle_s = dict(files), [], trickle_s
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                server.requests.append(self.path)
                mirror, _, name = self.path.strip("/").partition("/")
                body = server.files.get(name)
                if body is None or mirror not in BODY_MIRRORS:
                    self.send_error(404)
                    return
                with contextlib.suppress(ConnectionError):  # the client may hang up on a hostile mirror
                    getattr(server, f"_send_{mirror}")(self, body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        with contextlib.closing(socket.socket()) as closed:
            closed.bind(("127.0.0.1", 0))
            self.down_url = f"http://127.0.0.1:{closed.getsockname()[1]}/down"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @staticmethod
    def _headers(handler, length):
        handler.send_response(200)
        if length is not None:
            handler.send_header("Content-Length", str(length))
        handler.end_headers()

    def _send_good(self, handler, body):
        self._headers(handler, len(body))
        handler.wfile.write(body)

    def _send_wrong(self, handler, body):
        self._send_good(handler, bytes([body[0] ^ 0xFF]) + body[1:])

    def _send_truncated(self, handler, body):
        self._send_good(handler, body[: len(body) // 2])

    def _send_lying(self, handler, body):
        self._headers(handler, len(body) + 1000)
        handler.wfile.write(body)

    def _send_endless(self, handler, body):
        self._headers(handler, None)  # HTTP/1.0 without a length: the body runs until the server hangs up
        handler.wfile.write(body)
        for _ in range(64):
            handler.wfile.write(bytes(1 << 20))

    def _send_slow(self, handler, body):
        self._headers(handler, len(body))
        for i in range(len(body)):
            handler.wfile.write(body[i : i + 1])
            handler.wfile.flush()
            time.sleep(self.trickle_s)

    def _send_incomplete(self, handler, body):
        self._headers(handler, len(body))
        handler.wfile.write(body[: len(body) // 2])
        handler.close_connection = True

    def _send_badstatus(self, handler, body):
        handler.wfile.write(b"NONSENSE 200 OK\r\nContent-Length: 0\r\n\r\n")
        handler.close_connection = True

    def url(self, mirror):
        return f"{self.base}/{mirror}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
