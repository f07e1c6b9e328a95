"""Delivery set-up for the security tests: a campaign over a real SMTP server on loopback."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from distributor.config import Settings
from distributor.pipeline.delivery.schedule import dispatch_due
from distributor.pipeline.delivery.send import Sender, send_batch
from distributor.retry import RetryPolicy
from distributor.store.tables import Campaign, Post, Source
from distributor.wiring import Wiring
from tests.pipeline.delivery_support import DIGEST, NOW, add_campaign, add_subscribers


def smtp_sender(sessions: sessionmaker[Session], port: int, data_dir: Path) -> Sender:
    """A Sender mailing through the SMTP server on `port` (social channels to the outbox)."""
    settings = Settings(
        data_dir=data_dir,
        email_channel="smtp",
        allow_http_public_url=True,
        smtp_host="127.0.0.1",
        smtp_port=port,
        from_email="nieuws@praktijk.example",
    )
    sender = Wiring(settings).sender(sessions)
    sender.clock = lambda: NOW
    sender.policy = RetryPolicy(base_s=1, cap_s=2, max_attempts=1, pause_after=1000)
    return sender


def campaign_for(
    sessions: sessionmaker[Session], subscribers: int, channels: list[str], **digest: object
) -> int:
    """A dispatched campaign for a post whose digest has `digest`'s values."""
    add_subscribers(sessions, subscribers)
    with sessions.begin() as session:
        source = Source(kind="folder", target="/blog/security")
        session.add(source)
        session.flush()
        post = Post(
            source_id=source.id,
            guid="p.md",
            url=DIGEST["url"],
            title=str(digest.get("title", DIGEST["title"])),
            content_hash="h",
            state="new",
            digest=DIGEST | digest,
        )
        session.add(post)
        session.flush()
        post_id = post.id
    campaign_id = add_campaign(sessions, post_id, channels)
    dispatch_due(sessions, NOW)
    return campaign_id


def send_everything(sender: Sender) -> None:
    """Send batches until none is due."""
    while send_batch(sender).claimed:
        pass


def campaign_state(sessions: sessionmaker[Session], campaign_id: int) -> str:
    with sessions() as session:
        return session.scalar(select(Campaign.state).where(Campaign.id == campaign_id))
