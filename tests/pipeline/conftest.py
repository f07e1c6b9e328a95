"""Fixtures of the poll tests: a local blog server and an HTTP client for it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from distributor.sources.fetch import make_client
from tests.pipeline.poll_support import BlogServer


@pytest.fixture
def blog() -> Iterator[BlogServer]:
    """A blog on a loopback HTTP server; tests publish feeds and pages on it."""
    server = BlogServer()
    yield server
    server.stop()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """The HTTP client polling uses."""
    with make_client() as http:
        yield http
