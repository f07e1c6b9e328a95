"""Fixtures for sources: a real HTTP server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from distributor.sources.fetch import make_client
from tests.httpserver import LocalServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A fresh HTTP server on 127.0.0.1 serving the routes a test sets."""
    local = LocalServer().start()
    yield local
    local.stop()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """The client fetches use, with the project's defaults."""
    with make_client() as http:
        yield http
