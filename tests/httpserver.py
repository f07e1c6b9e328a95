"""A real HTTP server on 127.0.0.1, in a thread, serving what a test tells it to."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """What the server answers for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    trickle: float = 0.0  # seconds between 1 KB chunks of the body


Responder = Callable[[dict[str, str]], Reply]


@dataclass
class SeenRequest:
    """One request the server received."""

    path: str
    headers: dict[str, str]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that hung up early (timeout and size-cap tests) is expected


class LocalServer:
    """Serve `routes` (path -> Reply or a function of the request headers) on loopback."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Responder] = {}
        self.requests: list[SeenRequest] = []
        self._server = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def serve(self, path: str, reply: Reply | Responder) -> str:
        self.routes[path] = reply
        return self.url(path)

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append(SeenRequest(self.path, headers))
                route = server.routes.get(self.path)
                if route is None:
                    reply = Reply(404, b"<html><body>Not here</body></html>")
                else:
                    reply = route if isinstance(route, Reply) else route(headers)
                self._answer(reply)

            def _answer(self, reply: Reply) -> None:
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if "Content-Length" not in reply.headers:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self._write_body(reply)
                except (BrokenPipeError, ConnectionResetError):
                    return

            def _write_body(self, reply: Reply) -> None:
                if not reply.trickle:
                    self.wfile.write(reply.body)
                    return
                for start in range(0, len(reply.body), 1024):
                    self.wfile.write(reply.body[start : start + 1024])
                    self.wfile.flush()
                    time.sleep(reply.trickle)

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler
