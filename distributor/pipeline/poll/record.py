"""Recording a poll's outcome: posts inserted once, edits won by one writer, source state.

Every write here is safe when several pollers record the same source at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from distributor.content.clean import clean_body
from distributor.content.extract import extract_blocks
from distributor.errors import UserError
from distributor.model import Post
from distributor.pipeline.poll.gather import Seen
from distributor.sources.fetch import FetchError
from distributor.sources.versions import Comparison
from distributor.store import queries
from distributor.store.tables import Source

MAX_BACKOFF_S = 24 * 3600


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
    warning: str | None = None  # read fine, but the admin should know (shown on the source)

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


def record_success(
    session: Session,
    source_id: int,
    seen: Seen,
    prepared: list[Prepared],
    problems: list[str],
    baselined: bool,
    now: datetime,
) -> SourcePoll:
    """Record what a successful read found, and the source's fresh state, in one transaction."""
    result = SourcePoll(source_id, not_modified=seen.not_modified)
    first_seen = [p for p in prepared if p.state == "baseline" and p.comparison.known is None]
    if first_seen:  # one statement for what a first poll finds (often dozens of posts)
        rows = [
            post_values(p, now) | {"source_id": source_id, "first_seen_at": now} for p in first_seen
        ]
        inserted = len(queries.insert_posts_once(session, rows))
        result.baseline += inserted
        result.unchanged += len(rows) - inserted  # another poller recorded them first
    batched = {id(item) for item in first_seen}
    for item in prepared:
        if id(item) not in batched:
            record_post(session, source_id, item, now, result)
    problems = seen.problems + problems
    source = queries.get_source(session, source_id)
    if not problems:
        source.etag, source.last_modified = seen.etag, seen.last_modified
    source.error = problems_message(problems, len(seen.posts)) if problems else None
    if not seen.not_modified:
        source.warning = "; ".join(dict.fromkeys(seen.warnings))[:4000] or None
    if not source.name and seen.title:
        source.name = " ".join(seen.title.split())[:200]
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
    if seen.warnings:
        detail = {"warnings": list(dict.fromkeys(seen.warnings))}
        queries.record_event(session, "poll_warnings", at=now, source_id=source_id, detail=detail)
    session.commit()
    result.error = source.error
    result.warning = source.warning
    return result


def record_post(
    session: Session, source_id: int, item: Prepared, now: datetime, result: SourcePoll
) -> None:
    """Record one post: insert it once, or apply its edit if this writer saw the current hash."""
    comparison, known = item.comparison, item.comparison.known
    if comparison.verdict == "unchanged":
        result.unchanged += 1
        return
    if known is None:
        values = post_values(item, now) | {"source_id": source_id, "first_seen_at": now}
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
        changes = post_values(item, now)
    won = queries.update_post_if_unchanged(session, known.id, known.content_hash, changes)
    if won and item.state == "edited":
        result.edited.append(known.id)
        detail = {"old_hash": known.content_hash, "new_hash": comparison.content_hash}
        queries.record_event(
            session, "post_edited", at=now, source_id=source_id, post_id=known.id, detail=detail
        )
    else:
        result.unchanged += 1


def post_values(item: Prepared, now: datetime) -> dict[str, Any]:
    """The column values of a post about to be inserted or updated."""
    post = item.post
    values: dict[str, Any] = {
        "guid": item.comparison.post.guid,
        "url": post.url,
        "title": (item.digest or {}).get("title") or cleaned_title(post),
        "content_hash": item.comparison.content_hash,
        "seen_text": item.comparison.seen_text,
        "state": item.state,
        "digest": item.digest,
        "body": post.body,
        "body_format": post.body_format,
        "published": aware(post.published) if post.published else None,
        "updated_at": now,
    }
    if item.comparison.known is not None:
        del values["guid"]  # the post keeps the GUID it was first recorded under
    return values


def record_failure(session: Session, source_id: int, exc: Exception, now: datetime) -> SourcePoll:
    """Store a failed read on its source: the error, one more failure, and when to retry."""
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


def problems_message(problems: list[str], total: int) -> str:
    """One line summing up the posts that could not be read."""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    count = f"{len(problems)} of {total} posts could not be read"
    return f"{count}; they are retried next poll: {problems[0]}{more}"


def cleaned_title(post: Post) -> str:
    """The title the digest would give the post (declared, else found in the cleaned body:
    never a plain-text post's first line such as "Terug naar blog")."""
    try:
        return clean_body(extract_blocks(post.body, post.body_format), post.title).title[:200]
    except UserError:
        return " ".join(post.title.split())[:200]


def aware(moment: datetime) -> datetime:
    """A datetime made timezone-aware (naive ones are taken as UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
