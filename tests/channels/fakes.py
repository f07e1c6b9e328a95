"""Fake social APIs on 127.0.0.1: real HTTP servers that check each request against the API's
documented contract and answer like the real service (ids, tokens, 429 with reset headers, 5xx).

Every request is recorded; every contract breach is added to `violations` (and answered 400),
so tests assert both the exact requests and that there were no breaches.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    """One request as the fake received it (header names lower-cased)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Answer:
    """A response: status, JSON (or raw) body, headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


class ContractBreach(Exception):
    """A request that does not follow the API's documented contract."""


Route = Callable[[Seen], Answer]


class FakeServer:
    """A threaded HTTP server whose routes are (method, path) -> function(Seen) -> Answer."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: list[Seen] = []
        self.violations: list[str] = []
        self.scripted: dict[str, list[Answer]] = {}
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, method: str, path: str, handler: Route) -> None:
        self.routes[(method, path)] = handler

    def fail_next(
        self, path: str, status: int, headers: dict | None = None, body: Any = None, delay=0.0
    ) -> None:
        """Answer the next request to `path` with this failure instead of the normal answer."""
        self.scripted.setdefault(path, []).append(Answer(status, body, headers or {}, delay))

    def calls(self, path: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.path == path]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, seen: Seen) -> Answer:
        with self.lock:
            self.requests.append(seen)
            if self.scripted.get(seen.path):
                return self.scripted[seen.path].pop(0)
            handler = self.routes.get((seen.method, seen.path))
            if handler is None:
                self.violations.append(f"unexpected {seen.method} {seen.path}")
                return Answer(404, {"error": "NotFound", "message": "no such route"})
            try:
                return handler(seen)
            except Unauthorized:
                return Answer(401, {"error": "Unauthorized", "message": "Invalid access token"})
            except ContractBreach as breach:
                self.violations.append(f"{seen.method} {seen.path}: {breach}")
                return Answer(400, {"error": "InvalidRequest", "message": str(breach)})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                path = self.path.split("?")[0]
                answer = fake.answer(Seen(self.command, path, headers, body))
                time.sleep(answer.delay)
                # the client may have given up waiting (timeout tests)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._reply(answer)

            def _reply(self, answer: Answer) -> None:
                payload = answer.encoded()
                self.send_response(answer.status)
                if answer.body is not None and not isinstance(answer.body, bytes):
                    self.send_header("content-type", "application/json")
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def require(condition: bool, message: str) -> None:
    """Raise a ContractBreach unless `condition` holds."""
    if not condition:
        raise ContractBreach(message)


def json_body(seen: Seen) -> dict:
    """The request's JSON object body, checking the content type says so."""
    require(
        seen.headers.get("content-type", "").startswith("application/json"),
        "content-type must be application/json",
    )
    try:
        body = json.loads(seen.body)
    except ValueError as exc:
        raise ContractBreach("body is not JSON") from exc
    require(isinstance(body, dict), "body must be a JSON object")
    return body


def bearer(seen: Seen, token: str) -> None:
    """Check `Authorization: Bearer <token>`, answering 401 like the APIs do otherwise."""
    if seen.headers.get("authorization") != f"Bearer {token}":
        raise Unauthorized()


class Unauthorized(Exception):
    """The request's credentials are wrong (the fake answers 401)."""
