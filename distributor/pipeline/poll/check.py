"""Checking a source: what a poll would find right now, recording nothing."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from sqlalchemy.orm import Session

from distributor.errors import UserError
from distributor.pipeline.poll.gather import SourceRef, read_source
from distributor.sources.versions import compare
from distributor.store import queries


@dataclass(frozen=True)
class CheckedPost:
    """One post a source shows, and what a poll would make of it."""

    guid: str
    title: str
    url: str | None
    verdict: str  # new, edited, touched, unchanged; baseline on a source's first poll


@dataclass(frozen=True)
class CheckReport:
    """What `distributor sources check` shows."""

    source_id: int
    posts: list[CheckedPost]
    error: str | None = None
    problems: tuple[str, ...] = ()


def check_source(session: Session, source_id: int, *, client: httpx.Client) -> CheckReport:
    """Read a source now (no conditional GET) and say what each post would be; writes nothing."""
    source = queries.get_source(session, source_id)
    ref = SourceRef(source.id, source.kind, source.target)
    baselined = source.baselined
    session.rollback()
    try:
        seen = read_source(ref, client, conditional=False)
    except UserError as exc:
        return CheckReport(source_id, [], error=str(exc))
    comparisons = compare(
        seen.posts,
        queries.known_posts(session, source_id).values(),
        lambda ids: queries.seen_texts(session, ids),
    )
    session.rollback()
    posts = [
        CheckedPost(
            c.post.guid,
            c.post.title,
            c.post.url,
            "baseline" if c.verdict == "new" and not baselined else c.verdict,
        )
        for c in comparisons
    ]
    return CheckReport(source_id, posts, problems=tuple(seen.problems))
