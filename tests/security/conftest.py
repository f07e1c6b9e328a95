"""Fixtures of the security tests: real servers on loopback playing a site and an internal host.

The admin's own source lives on `site`; `internal` stands for anything on the local network or
the machine itself (a different origin on a non-public address), which links inside a source
must never reach.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from distributor.sources.fetch import make_client
from tests.channels.conftest import fake_server
from tests.channels.fakes import FakeServer
from tests.httpserver import LocalServer


@pytest.fixture
def site() -> Iterator[LocalServer]:
    """The blog the admin added as a source (on loopback, which the admin may do)."""
    server = LocalServer().start()
    yield server
    server.stop()


@pytest.fixture
def internal() -> Iterator[LocalServer]:
    """A host on a private address: an admin page, a metadata service, a router."""
    server = LocalServer().start()
    yield server
    server.stop()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """The HTTP client every fetch uses."""
    with make_client() as http:
        yield http


@pytest.fixture
def bluesky_api() -> Iterator[FakeServer]:
    """The Bluesky API fake on loopback (see tests/channels)."""
    yield from fake_server("bluesky")


class DripServer:
    """A raw HTTP server that sends its status line, then one header line every `every` seconds."""

    def __init__(self, every: float, lines: int) -> None:
        self.every = every
        self.lines = lines
        self.connections = 0
        self.completed = 0  # responses sent to the end (the client waited for every line)
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}/feed"

    def _serve(self) -> None:
        self._socket.settimeout(0.1)
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._drip, args=(connection,), daemon=True).start()

    def _drip(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 200 OK\r\n")
                for number in range(self.lines):
                    if self._stop.wait(self.every):
                        return
                    connection.sendall(f"X-Drip-{number}: still here\r\n".encode())
                body = b"<rss version='2.0'><channel><title>t</title></channel></rss>"
                connection.sendall(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                self.completed += 1
            except OSError:
                return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._socket.close()


@pytest.fixture
def drip() -> Iterator[DripServer]:
    """A server that trickles header lines (0.3 s apart, 30 of them: 9 s in all)."""
    server = DripServer(every=0.3, lines=30)
    yield server
    server.stop()
    time.sleep(0)  # let the drip threads see the stop
