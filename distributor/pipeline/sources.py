"""Admin actions on sources: add (detecting the kind), check (see poll/check.py), remove."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from distributor.pipeline.poll.check import CheckReport, check_source
from distributor.sources import detect, fetch
from distributor.store import queries
from distributor.store.tables import Source

__all__ = ["AddedSource", "CheckReport", "add_source", "check_source", "remove_source"]


@dataclass(frozen=True)
class AddedSource:
    """A source just added, and the feeds its page announces (when it is one article)."""

    id: int
    kind: str
    target: str
    announced_feeds: list[str] = field(default_factory=list)


def add_source(
    session: Session,
    target: str,
    *,
    client: httpx.Client,
    now: datetime,
    kind: str | None = None,
    name: str = "",
    auto_approve: bool = False,
    interval_s: int = 900,
) -> AddedSource:
    """Follow a feed, an article page or a folder (kind detected unless given); commits."""
    target = target.strip()
    if not detect.is_web_address(target):
        detect.kind_of_path(target)  # a clear error for a missing folder or a single file
        target = str(Path(target).expanduser().resolve())
    seen: list[detect.Document] = []
    chosen = kind or _detect(target, client, seen)
    source = queries.add_source(
        session,
        kind=chosen,
        target=target,
        now=now,
        name=name,
        auto_approve=auto_approve,
        poll_interval_s=interval_s,
    )
    queries.record_event(session, "source_added", at=now, source_id=source.id)
    session.commit()
    feeds = []
    if chosen == "article" and seen:
        page = seen[0]
        feeds = list(detect.feed_links(page.content.decode("utf-8", "replace"), page.url))
    return AddedSource(source.id, source.kind, target, feeds)


def _detect(target: str, client: httpx.Client, seen: list[detect.Document]) -> str:
    def fetch_document(url: str) -> detect.Document:
        result = fetch.fetch(url, client=client)
        seen.append(detect.Document(result.url, result.content_type, result.content))
        return seen[-1]

    try:
        return detect.detect_kind(target, fetch_document)
    except fetch.FetchError as exc:
        exc.hint = f"{exc.hint} Or give --kind feed|article to add it without checking."
        raise


def remove_source(session: Session, source_id: int, now: datetime) -> Source:
    """Stop following a source (its posts and history stay); commits."""
    source = queries.remove_source(session, source_id, now)
    session.commit()
    return source
