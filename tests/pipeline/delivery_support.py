"""Shared set-up for the delivery tests: a post with its digest, subscribers, a campaign."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from distributor.store.tables import Campaign, Post, Source, Subscriber

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
