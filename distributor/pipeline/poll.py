"""Polling sources: find each new or edited post once, remember it, and never lose one.

A poll reads a source outside any transaction, compares what it shows with what is recorded,
completes and digests what is new, then records it in one short transaction. Recording is
idempotent (insert once per (source, guid); edits conditional on the hash read), so pollers
running at the same time never record a post twice. The first poll of a source only
baselines what is already there (unless asked to backfill).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.orm import Session

from distributor.content.digest import build_digest as content_digest
from distributor.errors import UserError
from distributor.model import Digest, Post
from distributor.pipeline.poll_gather import Seen, SourceRef, complete, read_source
from distributor.pipeline.post_versions import Comparison, compare
from distributor.sources.fetch import TIMEOUT as FETCH_TIMEOUT
from distributor.sources.fetch import FetchError
from distributor.store import queries
from distributor.store.tables import Source

log = logging.getLogger(__name__)
MAX_BACKOFF_S = 24 * 3600
DigestBuilder = Callable[[Post], Digest]


@dataclass
class SourcePoll:
    """The outcome of polling one source (the `poll --json` entry)."""

    id: int
    new: list[int] = field(default_factory=list)
    edited: list[int] = field(default_factory=list)
    unchanged: int = 0
    error: str | None = None
    not_modified: bool = False
    baseline: int = 0  # recorded as already there (first poll); nothing to send for them

    def as_json(self) -> dict[str, Any]:
        """The `distributor poll --json` entry for this source."""
        return {
            "id": self.id,
            "new": self.new,
            "edited": self.edited,
            "unchanged": self.unchanged + self.baseline,
            "error": self.error,
        }


@dataclass(frozen=True)
class Prepared:
    """A post ready to record: its comparison, the state to give it, and its full version."""

    comparison: Comparison
    state: str
    post: Post
    digest: dict[str, Any] | None = None


def backoff_seconds(failures: int, interval_s: int, retry_after: float | None = None) -> float:
    """Wait before the next try: the interval doubled per failure (capped), or what was asked."""
    doubled = min(interval_s * 2 ** max(failures - 1, 0), MAX_BACKOFF_S)
    return max(float(doubled), retry_after or 0.0)


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
        return _record_failure(session, source_id, exc, now)
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
    return _record_success(session, source_id, seen, prepared, problems, baselined, now)


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
            results.append(_record_failure(session, source_id, exc, now))
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
    fresh.sort(key=lambda p: (-_aware(p.published or oldest).timestamp(), order.get(p.guid, 0)))
    return {post.guid for post in fresh[:count]}


def _record_success(
    session: Session,
    source_id: int,
    seen: Seen,
    prepared: list[Prepared],
    problems: list[str],
    baselined: bool,
    now: datetime,
) -> SourcePoll:
    result = SourcePoll(source_id, not_modified=seen.not_modified)
    first_seen = [p for p in prepared if p.state == "baseline" and p.comparison.known is None]
    if first_seen:  # one statement for what a first poll finds (often dozens of posts)
        rows = [
            _post_values(p, now) | {"source_id": source_id, "first_seen_at": now}
            for p in first_seen
        ]
        inserted = len(queries.insert_posts_once(session, rows))
        result.baseline += inserted
        result.unchanged += len(rows) - inserted  # another poller recorded them first
    batched = {id(item) for item in first_seen}
    for item in prepared:
        if id(item) not in batched:
            _record_post(session, source_id, item, now, result)
    problems = seen.problems + problems
    source = queries.get_source(session, source_id)
    if not problems:
        source.etag, source.last_modified = seen.etag, seen.last_modified
    source.error = _problems_message(problems, len(seen.posts)) if problems else None
    source.failures = 0
    source.retry_after_until = None
    source.last_polled_at = now
    source.next_poll_at = now + timedelta(seconds=source.poll_interval_s)
    if not baselined:
        source.baselined = True
        detail = {"posts": sum(1 for p in prepared if p.state == "baseline"), "new": result.new}
        queries.record_event(
            session, "source_baselined", at=now, source_id=source_id, detail=detail
        )
    if problems:
        detail = {"problems": problems}
        queries.record_event(session, "poll_problems", at=now, source_id=source_id, detail=detail)
    session.commit()
    result.error = source.error
    return result


def _record_post(
    session: Session, source_id: int, item: Prepared, now: datetime, result: SourcePoll
) -> None:
    comparison, known = item.comparison, item.comparison.known
    if comparison.verdict == "unchanged":
        result.unchanged += 1
        return
    if known is None:
        values = _post_values(item, now) | {"source_id": source_id, "first_seen_at": now}
        post_id = queries.insert_post_once(session, values)
        if post_id is None:  # another poller recorded it first
            result.unchanged += 1
        elif item.state == "baseline":
            result.baseline += 1
        else:
            result.new.append(post_id)
            queries.record_event(session, "post_new", at=now, source_id=source_id, post_id=post_id)
        return
    changes = {"content_hash": comparison.content_hash, "seen_text": comparison.seen_text}
    if item.state == "edited":
        changes = _post_values(item, now)
    won = queries.update_post_if_unchanged(session, known.id, known.content_hash, changes)
    if won and item.state == "edited":
        result.edited.append(known.id)
        detail = {"old_hash": known.content_hash, "new_hash": comparison.content_hash}
        queries.record_event(
            session, "post_edited", at=now, source_id=source_id, post_id=known.id, detail=detail
        )
    else:
        result.unchanged += 1


def _post_values(item: Prepared, now: datetime) -> dict[str, Any]:
    post = item.post
    values: dict[str, Any] = {
        "guid": item.comparison.post.guid,
        "url": post.url,
        "title": post.title or (item.digest or {}).get("title") or _first_line(post.body),
        "content_hash": item.comparison.content_hash,
        "seen_text": item.comparison.seen_text,
        "state": item.state,
        "digest": item.digest,
        "body": post.body,
        "body_format": post.body_format,
        "published": _aware(post.published) if post.published else None,
        "updated_at": now,
    }
    if item.comparison.known is not None:
        del values["guid"]  # the post keeps the GUID it was first recorded under
    return values


def _record_failure(session: Session, source_id: int, exc: Exception, now: datetime) -> SourcePoll:
    session.rollback()
    message = str(exc) if isinstance(exc, UserError) else f"internal error: {exc!r}"
    retry_after = exc.retry_after if isinstance(exc, FetchError) else None
    source = session.get(Source, source_id)
    if source is None:
        return SourcePoll(source_id, error=message)
    source.failures += 1
    source.error = message
    source.last_polled_at = now
    delay = backoff_seconds(source.failures, source.poll_interval_s, retry_after)
    source.next_poll_at = now + timedelta(seconds=delay)
    source.retry_after_until = now + timedelta(seconds=retry_after) if retry_after else None
    detail = {"error": message, "failures": source.failures, "retry_in_s": delay}
    queries.record_event(session, "poll_failed", at=now, source_id=source_id, detail=detail)
    session.commit()
    return SourcePoll(source_id, error=message)


def _problems_message(problems: list[str], total: int) -> str:
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    count = f"{len(problems)} of {total} posts could not be read"
    return f"{count}; they are retried next poll: {problems[0]}{more}"


def _first_line(body: str) -> str:
    for line in body.splitlines():
        text = re.sub(r"<[^>]+>", " ", line).strip(" #\t")
        if text:
            return text[:200]
    return ""


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
