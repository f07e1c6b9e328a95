"""Admin actions on sources: add (detecting the kind), check (see poll/check.py), remove."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy.orm import Session

from distributor.errors import UserError
from distributor.pipeline.poll.check import CheckReport, check_source
from distributor.sources import detect, fetch
from distributor.sources.article import parse_article
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
    force: bool = False,
) -> AddedSource:
    """Follow a feed, an article page or a folder (kind detected unless given); commits.

    A web address that is neither a feed nor one article (an image, a PDF, a home page) is
    refused with the reason and the feed the page announces, unless `force`."""
    target = target.strip()
    if not detect.is_web_address(target):
        detect.kind_of_path(target)  # a clear error for a missing folder or a single file
        target = str(Path(target).expanduser().resolve())
    seen: list[detect.Document] = []
    chosen = kind or _detect(target, client, seen)
    if chosen == "article" and seen and not force:
        refuse_unless_article(seen[-1])
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


PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown", "")
FORCE_HINT = "Or add it anyway with --force."


def refuse_unless_article(document: detect.Document) -> None:
    """A UserError saying why a fetched page is not one article (and which feed to follow)."""
    url = document.url
    media_type = document.content_type.split(";")[0].strip().lower()
    if media_type not in PAGE_TYPES:
        raise UserError(
            f"{url} is not a feed or an article but {media_type}",
            f"Give the address of the blog's feed or of one blog post. {FORCE_HINT}",
        )
    if media_type in ("text/plain", "text/markdown"):
        return
    html = document.content.decode("utf-8", "replace")
    feeds = detect.feed_links(html, url)
    follow = f"It announces a feed: distributor sources add {feeds[0]} " if feeds else ""
    if urlsplit(url).path in ("", "/"):
        raise UserError(f"{url} is a home page, not a feed or an article", follow + FORCE_HINT)
    try:
        parse_article(html, url)
    except UserError:
        raise UserError(
            f"no article found at {url} (a home page or a list of posts?)", follow + FORCE_HINT
        ) from None


def remove_source(session: Session, source_id: int, now: datetime) -> Source:
    """Stop following a source (its posts and history stay); commits."""
    source = queries.remove_source(session, source_id, now)
    session.commit()
    return source
