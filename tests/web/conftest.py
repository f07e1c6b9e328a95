"""A real web server (uvicorn on loopback) in front of a fresh database, for the page tests."""

from __future__ import annotations

import email
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from distributor.config import Settings
from distributor.store.db import session_factory
from distributor.store.tables import Subscriber
from distributor.tokens import make_token, signing_key
from distributor.web.app import create_app

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r"https?://[^\s\"<>]+/confirm/[A-Za-z0-9_.=-]+")


@dataclass
class LiveSite:
    """The running app, its database and a way to sign subscribers' links."""

    url: str
    settings: Settings
    sessions: sessionmaker[Session]

    def add_subscriber(self, email: str, language: str = "nl", status: str = "confirmed") -> int:
        with self.sessions() as session, session.begin():
            row = Subscriber(email=email, name="Test", language=language, status=status)
            session.add(row)
            session.flush()
            return row.id

    def subscriber(self, subscriber_id: int) -> Subscriber | None:
        with self.sessions() as session:
            return session.get(Subscriber, subscriber_id)

    def subscriber_by_email(self, address: str) -> Subscriber | None:
        with self.sessions() as session:
            return session.scalar(select(Subscriber).where(Subscriber.email == address))

    def link(self, purpose: str, subscriber_id: int, campaign_id: int | None = 7) -> str:
        token = make_token(signing_key(self.settings), subscriber_id, campaign_id, purpose)
        prefix = "u" if purpose == "unsubscribe" else "p"
        return f"{self.url}/{prefix}/{token}"

    def outbox(self) -> list[EmailMessage]:
        """The emails written to the local outbox, oldest first."""
        files = sorted(
            (self.settings.data_dir / "outbox").rglob("*.eml"), key=lambda p: p.stat().st_mtime_ns
        )
        return [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]

    def sign_up(self, client: httpx.Client, **fields: str) -> httpx.Response:
        """GET the form, then POST it with these fields and the page's own token."""
        page = client.get(f"{self.url}/subscribe")
        data = {"language": "nl", "consent": "yes", "csrf_token": form_token(page.text)}
        return client.post(f"{self.url}/subscribe", data=data | fields)


def form_token(html: str) -> str:
    """The hidden csrf_token of the first form on a page."""
    found = CSRF_FIELD.search(html)
    assert found, "the page has no csrf_token field"
    return found.group(1)


def confirm_link(message: EmailMessage) -> str:
    """The confirmation link in an email's text part."""
    text = message.get_body(("plain",)).get_content()
    found = LINK.search(text)
    assert found, text
    return found.group(0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def make_site(engine, database_url: str, tmp_path: Path) -> Iterator[Callable[..., LiveSite]]:
    """Start the web app with chosen settings, served by uvicorn on a free loopback port."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(**overrides: Any) -> LiveSite:
        port = free_port()
        values: dict[str, Any] = {
            "data_dir": tmp_path,
            "database_url": database_url,
            "public_url": f"http://127.0.0.1:{port}",
            "practice_name": "Kine Test",
            "secret_key": "web-test-key",
            "signup_min_fill_s": 0.0,
        }
        log_level = overrides.pop("log_level", "warning")
        settings = Settings(**(values | overrides))
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level=log_level)
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started, "uvicorn did not start"
        servers.append((server, thread))
        return LiveSite(f"http://127.0.0.1:{port}", settings, session_factory(engine))

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def site(make_site) -> LiveSite:
    """The web app with default test settings."""
    return make_site()


REDIS_DB = int(os.environ.get("DISTRIBUTOR_TEST_REDIS_DB", "4"))


@pytest.fixture
def redis_settings() -> Iterator[dict[str, str]]:
    """Settings pointing at the test Redis database, under a prefix of this test's own."""
    import redis

    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    prefix = f"distributor-test-{uuid.uuid4().hex[:8]}:"
    yield {"broker_url": url, "redis_prefix": prefix}
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
