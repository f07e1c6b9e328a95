"""Polling sources: find each new or edited post once, remember it, and never lose one.

A poll reads a source outside any transaction, compares what it shows with what is recorded,
completes and digests what is new, then records it in one short transaction. Recording is
idempotent (insert once per (source, guid); edits conditional on the hash read), so pollers
running at the same time never record a post twice. The first poll of a source only
baselines what is already there (unless asked to backfill).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from sqlalchemy.orm import Session

from distributor.content.digest import build_digest as content_digest
from distributor.errors import UserError
from distributor.model import Digest, Post
from distributor.pipeline.poll.gather import SourceRef, complete, read_source
from distributor.pipeline.poll.record import (
    Prepared,
    SourcePoll,
    aware,
    record_failure,
    record_success,
)
from distributor.sources.fetch import TIMEOUT as FETCH_TIMEOUT
from distributor.sources.versions import Comparison, compare
from distributor.store import queries
from distributor.store.tables import Source

log = logging.getLogger(__name__)
DigestBuilder = Callable[[Post], Digest]


def poll_source(
    session: Session,
    source_id: int,
    *,
    client: httpx.Client,
    now: datetime,
    backfill: int = 0,
    force: bool = False,
    build_digest: DigestBuilder | None = None,
    timeout: float = FETCH_TIMEOUT,
) -> SourcePoll:
    """Poll one source now, unless its server asked to wait (Retry-After) and not `force`.

    The growing wait after failures is kept in next_poll_at, which `poll_due` follows.
    """
    source = queries.get_source(session, source_id)
    ref = SourceRef(source.id, source.kind, source.target, source.etag, source.last_modified)
    baselined, waiting = source.baselined, _waiting_message(source, now)
    session.commit()
    if waiting and not force:
        return SourcePoll(source_id, error=waiting)
    try:
        seen = read_source(ref, client, timeout=timeout)
    except UserError as exc:
        return record_failure(session, source_id, exc, now)
    comparisons = []
    if seen.posts:
        comparisons = compare(
            seen.posts,
            queries.known_posts(session, source_id).values(),
            lambda ids: queries.seen_texts(session, ids),
        )
        session.commit()
    order = {post.guid: index for index, post in enumerate(seen.posts)}
    prepared, problems = _prepare(
        comparisons, baselined, backfill, order, client, build_digest or content_digest
    )
    return record_success(session, source_id, seen, prepared, problems, baselined, now)


def poll_sources(
    session: Session,
    *,
    client: httpx.Client,
    now: datetime,
    source_ids: list[int] | None = None,
    due_only: bool = False,
    backfill: int = 0,
    force: bool = False,
    build_digest: DigestBuilder | None = None,
    timeout: float = FETCH_TIMEOUT,
) -> list[SourcePoll]:
    """Poll the given sources (default: all, or only those due); one failing never stops others."""
    if source_ids is None:
        chosen = queries.due_sources(session, now) if due_only else queries.list_sources(session)
        source_ids = [source.id for source in chosen]
        session.commit()
    results = []
    for source_id in source_ids:
        try:
            results.append(
                poll_source(
                    session,
                    source_id,
                    client=client,
                    now=now,
                    backfill=backfill,
                    force=force or due_only,
                    build_digest=build_digest,
                    timeout=timeout,
                )
            )
        except UserError as exc:  # e.g. removed by another process since it was listed
            session.rollback()
            results.append(SourcePoll(source_id, error=str(exc)))
        except Exception as exc:  # a bug or a database hiccup in one source: keep polling
            session.rollback()
            log.exception("polling source %s failed", source_id)
            results.append(record_failure(session, source_id, exc, now))
    return results


def poll_due(
    session: Session,
    *,
    client: httpx.Client,
    now: datetime,
    build_digest: DigestBuilder | None = None,
) -> list[SourcePoll]:
    """Poll every source whose next poll time has come (what the scheduler runs)."""
    return poll_sources(session, client=client, now=now, due_only=True, build_digest=build_digest)


def _waiting_message(source: Source, now: datetime) -> str | None:
    """Why not to poll now: the server asked to wait (Retry-After) and that time has not come."""
    if source.retry_after_until and source.retry_after_until > now:
        until = source.retry_after_until.strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"the server asked to wait until {until}: {source.error}"
    return None


def _prepare(
    comparisons: list[Comparison],
    baselined: bool,
    backfill: int,
    order: dict[str, int],
    client: httpx.Client,
    build_digest: DigestBuilder,
) -> tuple[list[Prepared], list[str]]:
    backfilled = set() if baselined else _newest(comparisons, backfill, order)
    prepared, problems = [], []
    for comparison in comparisons:
        if comparison.verdict == "unchanged":
            prepared.append(Prepared(comparison, "", comparison.post))
            continue
        if comparison.verdict == "touched" or (
            comparison.verdict == "new" and not baselined and comparison.post.guid not in backfilled
        ):
            state = "baseline" if comparison.verdict == "new" else ""
            prepared.append(Prepared(comparison, state, comparison.post))
            continue
        where = comparison.post.url or comparison.post.guid
        try:
            full = complete(comparison.post, client)
            digest = build_digest(full)
        except UserError as exc:
            problems.append(f"{where}: {exc}")
            continue
        except Exception as exc:  # a bug in reading one post must not stop the others
            log.exception("could not digest %s", where)
            problems.append(f"{where}: internal error while digesting: {exc!r}")
            continue
        state = "new" if comparison.verdict == "new" else "edited"
        prepared.append(Prepared(comparison, state, full, digest.as_json() | {"slug": digest.slug}))
    return prepared, problems


def _newest(comparisons: list[Comparison], count: int, order: dict[str, int]) -> set[str]:
    if count <= 0:
        return set()
    oldest = datetime.min.replace(tzinfo=UTC)
    fresh = [c.post for c in comparisons if c.verdict == "new"]
    fresh.sort(key=lambda p: (-aware(p.published or oldest).timestamp(), order.get(p.guid, 0)))
    return {post.guid for post in fresh[:count]}
