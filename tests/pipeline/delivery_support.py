"""Shared set-up for the delivery tests: a post with its digest, subscribers, a campaign."""

from __future__ import annotations

import re
import socket
import threading
import time
from datetime import UTC, datetime
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session, sessionmaker

from distributor.store.tables import Campaign, Post, Source, Subscriber

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)
NOW = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)

DIGEST: dict[str, Any] = {
    "title": "Rugpijn door een hernia: wat helpt?",
    "language": "nl",
    "summary": "Een hernia geneest meestal vanzelf. Blijf bewegen en bouw rustig op.",
    "reading_time": 4,
    "word_count": 820,
    "highlights": ["Blijf in beweging.", "Wissel houdingen af.", "Bouw rustig op."],
    "keywords": ["hernia", "rugpijn"],
    "hashtags": ["#rugpijn", "#kinesitherapie"],
    "image": None,
    "url": "https://praktijk.example/blog/rugpijn-hernia",
    "published": "2026-03-02T09:00:00+00:00",
    "slug": "rugpijn-hernia",
    "summary_source": "extractive",
}


def add_post(
    sessions: sessionmaker[Session], auto_approve: bool = False, state: str = "new"
) -> int:
    """A source and one post with a digest; returns the post id."""
    with sessions.begin() as session:
        source = Source(
            kind="folder", target=f"/blog/{datetime.now().timestamp()}", auto_approve=auto_approve
        )
        session.add(source)
        session.flush()
        post = Post(
            source_id=source.id,
            guid="rugpijn.md",
            url=DIGEST["url"],
            title=DIGEST["title"],
            content_hash="h",
            state=state,
            digest=DIGEST,
        )
        session.add(post)
        session.flush()
        return post.id


def add_subscribers(
    sessions: sessionmaker[Session],
    count: int,
    status: str = "confirmed",
    frequency: str = "immediate",
    prefix: str = "lezer",
) -> None:
    """`count` subscribers named lezer0001@example.org ..."""
    with sessions.begin() as session:
        session.add_all(
            Subscriber(
                email=f"{prefix}{i:04d}@example.org",
                name=f"Lezer {i}",
                status=status,
                frequency=frequency,
            )
            for i in range(count)
        )


def add_campaign(
    sessions: sessionmaker[Session],
    post_id: int,
    channels: list[str],
    state: str = "approved",
    send_at: datetime = NOW,
) -> int:
    """A campaign for a post in a given state; returns its id."""
    with sessions.begin() as session:
        campaign = Campaign(
            post_id=post_id,
            kind="post",
            state=state,
            send_at=send_at,
            language="nl",
            channels=channels,
        )
        session.add(campaign)
        session.flush()
        return campaign.id


class SmtpCatcher:
    """A real SMTP server (aiosmtpd) on loopback that records each message's Message-ID.

    `replies` maps a recipient address to the reply its RCPT gets (e.g. "550 5.1.1 no such
    user"); `stop()` and `start()` take the server down and bring it back on the same port.
    """

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.replies: dict[str, str] = {}
        # (time the message's MAIL FROM arrived, message id, recipient)
        self.received: list[tuple[float, str, str]] = []
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        envelope.started = time.time()  # when the server first sees this message
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.replies:
            return self.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.content)
        message_id = found.group(1).decode() if found else ""
        with self.lock:
            started = getattr(envelope, "started", time.time())
            self.received.append((started, message_id, envelope.rcpt_tos[0]))
        return "250 accepted"

    def start(self) -> SmtpCatcher:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def message_ids(self) -> list[str]:
        with self.lock:
            return [message_id for _, message_id, _ in self.received]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
