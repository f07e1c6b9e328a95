"""A fake OpenAI-compatible chat-completions endpoint on loopback that records every request."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    """What the fake answers next: a status, a raw body, and a delay before answering."""

    status: int = 200
    body: bytes = b""
    delay: float = 0.0


@dataclass
class SeenPost:
    """One request the fake received."""

    path: str
    headers: dict[str, str]
    body: dict[str, object]


@dataclass
class FakeSummaryApi:
    """The running fake: its base URL, what it answers, and what it was asked."""

    base_url: str
    answer: Answer = field(default_factory=Answer)
    requests: list[SeenPost] = field(default_factory=list)

    def answer_with(self, content: str) -> None:
        """Answer every request with a chat completion holding `content`."""
        choice = {"index": 0, "message": {"role": "assistant", "content": content}}
        body = {"id": "chatcmpl-1", "object": "chat.completion", "choices": [choice]}
        self.answer = Answer(body=json.dumps(body).encode())


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that gave up (the timeout tests) is expected


@contextmanager
def fake_summary_api() -> Iterator[FakeSummaryApi]:
    """Serve the fake on 127.0.0.1 for the duration of the block."""
    fake = FakeSummaryApi(base_url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            fake.requests.append(SeenPost(self.path, headers, json.loads(raw)))
            answer = fake.answer
            time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, format: str, *args: object) -> None:
            return

    server = _Quiet(("127.0.0.1", 0), Handler)
    host, port = server.server_address[:2]
    fake.base_url = f"http://{host}:{port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.daemon = True
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
