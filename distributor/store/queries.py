"""Reads and writes the rest of distributor shares: sources, posts and the event log.

Writes that may race (two pollers, two workers) are idempotent by construction: posts are
inserted with ON CONFLICT DO NOTHING on (source_id, guid), and edits are conditional on the
hash the writer saw, so exactly one writer wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from distributor.errors import UserError
from distributor.store.tables import SOURCE_KINDS, Base, Event, Post, Source


@dataclass(frozen=True)
class KnownPost:
    """What the store remembers of a post, enough to tell unchanged from edited."""

    id: int
    guid: str
    url: str | None
    content_hash: str
    state: str


def add_source(
    session: Session,
    *,
    kind: str,
    target: str,
    now: datetime,
    name: str = "",
    auto_approve: bool = False,
    poll_interval_s: int = 900,
) -> Source:
    """Add a source (or bring a removed one back with its history); flushes to get its id."""
    if kind not in SOURCE_KINDS:
        raise UserError(f"unknown source kind {kind!r}", f"Use one of: {', '.join(SOURCE_KINDS)}.")
    existing = session.scalar(select(Source).where(Source.target == target))
    if existing is not None and existing.removed_at is None:
        raise UserError(
            f"source {existing.id} already follows {target}",
            "See `distributor sources list`; remove it first to add it again.",
        )
    source = existing or Source(target=target, created_at=now, failures=0, baselined=False)
    source.kind = kind
    source.name = name
    source.auto_approve = auto_approve
    source.poll_interval_s = poll_interval_s
    source.removed_at = None
    source.next_poll_at = now
    if existing is None:
        session.add(source)
    session.flush()
    return source


def get_source(session: Session, source_id: int) -> Source:
    """The active source with this id, or a UserError saying how to find one."""
    source = session.get(Source, source_id)
    if source is None or source.removed_at is not None:
        raise UserError(
            f"no source with id {source_id}", "See `distributor sources list` for the ids."
        )
    return source


def list_sources(session: Session) -> list[Source]:
    """Active sources, oldest first."""
    query = select(Source).where(Source.removed_at.is_(None)).order_by(Source.id)
    return list(session.scalars(query))


def due_sources(session: Session, now: datetime) -> list[Source]:
    """Active sources whose next poll time has come (or was never set)."""
    query = (
        select(Source)
        .where(Source.removed_at.is_(None))
        .where(or_(Source.next_poll_at.is_(None), Source.next_poll_at <= now))
        .order_by(Source.next_poll_at.nulls_first(), Source.id)
    )
    return list(session.scalars(query))


def remove_source(session: Session, source_id: int, now: datetime) -> Source:
    """Stop following a source; its posts, campaigns and events stay."""
    source = get_source(session, source_id)
    source.removed_at = now
    record_event(session, "source_removed", at=now, source_id=source.id)
    return source


def known_posts(session: Session, source_id: int) -> dict[str, KnownPost]:
    """The posts recorded for a source, by GUID."""
    rows = session.execute(
        select(Post.id, Post.guid, Post.url, Post.content_hash, Post.state).where(
            Post.source_id == source_id
        )
    )
    return {row.guid: KnownPost(*row) for row in rows}


def seen_texts(session: Session, post_ids: Sequence[int]) -> dict[int, str]:
    """The normalised text each post was last seen with, by post id."""
    rows = session.execute(select(Post.id, Post.seen_text).where(Post.id.in_(post_ids)))
    return {row.id: row.seen_text for row in rows}


def count_posts(session: Session, source_id: int) -> int:
    """How many posts a source has recorded."""
    return session.scalar(select(func.count()).where(Post.source_id == source_id)) or 0


def insert_post_once(session: Session, values: dict[str, Any]) -> int | None:
    """Insert a post unless its (source_id, guid) exists; the new id, or None if it existed."""
    statement = insert_ignoring_conflicts(session, Post, values, ["source_id", "guid"])
    return session.scalar(statement.returning(Post.id))


def insert_posts_once(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert the posts whose (source_id, guid) is not recorded yet; the ids of those inserted."""
    statement = insert_ignoring_conflicts(session, Post, rows, ["source_id", "guid"])
    return list(session.scalars(statement.returning(Post.id)))


def update_post_if_unchanged(
    session: Session, post_id: int, seen_hash: str, values: dict[str, Any]
) -> bool:
    """Update a post only if it still has the hash we read; True if this writer won."""
    result = session.execute(
        update(Post)
        .where(Post.id == post_id, Post.content_hash == seen_hash)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def list_posts(session: Session, source_id: int | None = None) -> list[Post]:
    """Posts in the order they were recorded, optionally of one source."""
    query = select(Post).order_by(Post.id)
    if source_id is not None:
        query = query.where(Post.source_id == source_id)
    return list(session.scalars(query))


def get_post(session: Session, post_id: int) -> Post:
    """The post with this id, or a UserError."""
    post = session.get(Post, post_id)
    if post is None:
        raise UserError(f"no post with id {post_id}", "See `distributor posts list` for the ids.")
    return post


def posts_by_id(session: Session, post_ids: Sequence[int]) -> list[Post]:
    """The posts with these ids, in id order."""
    if not post_ids:
        return []
    return list(session.scalars(select(Post).where(Post.id.in_(post_ids)).order_by(Post.id)))


def record_event(
    session: Session,
    kind: str,
    *,
    at: datetime,
    detail: dict[str, Any] | None = None,
    **ids: int | None,
) -> None:
    """Append one entry to the event log (ids: source_id, post_id, campaign_id, ...)."""
    session.add(Event(kind=kind, at=at, detail=detail, **ids))


def events(session: Session, kind: str | None = None, **ids: int) -> list[Event]:
    """Events in the order they happened, optionally filtered by kind and ids."""
    query = select(Event).order_by(Event.id)
    if kind is not None:
        query = query.where(Event.kind == kind)
    for column, value in ids.items():
        query = query.where(getattr(Event, column) == value)
    return list(session.scalars(query))


def insert_ignoring_conflicts(
    session: Session,
    model: type[Base],
    values: dict[str, Any] | list[dict[str, Any]],
    keys: list[str],
) -> Insert:
    """INSERT of one or many rows that skips rows whose unique `keys` already exist."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model).values(values).on_conflict_do_nothing(index_elements=keys)
