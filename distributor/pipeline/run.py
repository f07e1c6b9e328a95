"""One scheduler tick as plain functions: poll due sources and plan campaigns for new posts,
dispatch due campaigns, and (embedded) send until nothing is due. Celery tasks call the same."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from distributor.model import Digest, Post
from distributor.pipeline.delivery.planning import plan_post_campaigns, posts_awaiting_campaign
from distributor.pipeline.delivery.schedule import dispatch_due, send_time
from distributor.pipeline.delivery.send import Sender, send_batch
from distributor.pipeline.delivery.weekly import plan_weekly
from distributor.pipeline.poll.polling import poll_due
from distributor.sources.fetch import make_client


@dataclass(frozen=True)
class Schedule:
    """The plain values planning needs (the wiring makes them from Settings)."""

    channels: Sequence[str] = ("email",)  # what a new campaign covers
    send_slot: str = ""  # weekly slot for new campaigns; empty: at once
    weekly_slot: str = "Monday 08:00 Europe/Brussels"
    default_language: str = "nl"
    batch_size: int = 200
    build_digest: Callable[[Post], Digest] | None = None  # a found post's digest (AI summary)


@dataclass
class TickReport:
    """What one tick did."""

    new_posts: list[int] = field(default_factory=list)
    campaigns: list[int] = field(default_factory=list)
    started: list[int] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    retrying: int = 0


def plan_new_posts(sessions: sessionmaker[Session], schedule: Schedule, now: datetime) -> list[int]:
    """Give every new post without a campaign its campaign (draft, or approved by its source).

    Planning reads the database, not one poll's result, so a post found by `distributor poll`
    or by a poll that crashed before planning still gets its campaign.
    """
    with sessions() as session:
        waiting = posts_awaiting_campaign(session)
    send_at = send_time(now, schedule.send_slot)
    return plan_post_campaigns(sessions, waiting, schedule.channels, send_at, now)


def poll_and_plan(sessions: sessionmaker[Session], schedule: Schedule, now: datetime) -> TickReport:
    """Poll every due source, then give each new post its campaign (draft or approved)."""
    with sessions() as session, make_client() as client:
        results = poll_due(session, client=client, now=now, build_digest=schedule.build_digest)
    new_posts = [post_id for result in results for post_id in result.new]
    return TickReport(new_posts=new_posts, campaigns=plan_new_posts(sessions, schedule, now))


def drain(
    sender: Sender,
    report: TickReport,
    max_batches: int = 10_000,
    campaign_id: int | None = None,
) -> TickReport:
    """Send batch after batch until nothing (of `campaign_id`, if given) is due."""
    for _ in range(max_batches):
        batch = send_batch(sender, campaign_id=campaign_id)
        report.sent += batch.sent
        report.failed += batch.failed
        report.retrying += batch.retrying
        if not batch.claimed:
            break
    return report


def tick(sessions: sessionmaker[Session], schedule: Schedule, sender: Sender) -> TickReport:
    """One embedded tick: poll and plan, dispatch what is due, send until nothing is due."""
    report = poll_and_plan(sessions, schedule, sender.clock())
    plan_weekly(sessions, schedule.weekly_slot, schedule.default_language, sender.clock())
    report.started = dispatch_due(sessions, sender.clock(), batch_size=schedule.batch_size)
    return drain(sender, report)
