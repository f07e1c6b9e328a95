"""A real web server (uvicorn on loopback) in front of a fresh database, for the page tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from distributor.config import Settings
from distributor.store.db import session_factory
from distributor.store.tables import Subscriber
from distributor.tokens import make_token, signing_key
from distributor.web.app import create_app


@dataclass
class LiveSite:
    """The running app, its database and a way to sign subscribers' links."""

    url: str
    settings: Settings
    sessions: sessionmaker[Session]

    def add_subscriber(self, email: str, language: str = "nl") -> int:
        with self.sessions() as session, session.begin():
            row = Subscriber(email=email, name="Test", language=language, status="confirmed")
            session.add(row)
            session.flush()
            return row.id

    def subscriber(self, subscriber_id: int) -> Subscriber:
        with self.sessions() as session:
            return session.get(Subscriber, subscriber_id)

    def link(self, purpose: str, subscriber_id: int, campaign_id: int | None = 7) -> str:
        token = make_token(signing_key(self.settings), subscriber_id, campaign_id, purpose)
        prefix = "u" if purpose == "unsubscribe" else "p"
        return f"{self.url}/{prefix}/{token}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def site(engine, database_url: str, tmp_path: Path) -> Iterator[LiveSite]:
    """The web app served by uvicorn on a free loopback port."""
    port = free_port()
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        public_url=f"http://127.0.0.1:{port}",
        practice_name="Kine Test",
        secret_key="web-test-key",
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    yield LiveSite(settings.public_url, settings, session_factory(engine))
    server.should_exit = True
    thread.join(timeout=10)
