"""A local HTTP server for download tests: good, wrong and truncated copies of files."""

import contextlib
import http.server
import socket
import threading


class FileServer:
    """Serves ``files`` (name -> bytes) on 127.0.0.1 under three mirrors.

    ``/good/<name>`` gives the bytes, ``/wrong/<name>`` the bytes with one
    changed, ``/truncated/<name>`` the first half. ``down_url`` is a mirror
    on a closed port.
    """

    def __init__(self, files):
        self.files, self.requests = dict(files), []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                server.requests.append(self.path)
                mirror, _, name = self.path.strip("/").partition("/")
                body = server.files.get(name)
                if body is None or mirror not in ("good", "wrong", "truncated"):
                    self.send_error(404)
                    return
                if mirror == "wrong":
                    body = bytes([body[0] ^ 0xFF]) + body[1:]
                elif mirror == "truncated":
                    body = body[: len(body) // 2]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        with contextlib.closing(socket.socket()) as closed:
            closed.bind(("127.0.0.1", 0))
            self.down_url = f"http://127.0.0.1:{closed.getsockname()[1]}/down"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, mirror):
        return f"{self.base}/{mirror}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
