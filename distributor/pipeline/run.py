"""One scheduler tick as plain functions: poll due sources and plan campaigns for new posts,
dispatch due campaigns, and (embedded) send until nothing is due. Celery tasks call the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from distributor.config import Settings
from distributor.pipeline.campaign import (
    configured_channels,
    plan_post_campaigns,
    posts_awaiting_campaign,
)
from distributor.pipeline.poll import poll_due
from distributor.pipeline.schedule import dispatch_due, send_time
from distributor.pipeline.send import Sender, send_batch
from distributor.pipeline.weekly import plan_weekly
from distributor.sources.fetch import make_client


@dataclass
class TickReport:
    """What one tick did."""

    new_posts: list[int] = field(default_factory=list)
    campaigns: list[int] = field(default_factory=list)
    started: list[int] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    retrying: int = 0


def plan_new_posts(sessions: sessionmaker[Session], settings: Settings, now: datetime) -> list[int]:
    """Give every new post without a campaign its campaign (draft, or approved by its source).

    Planning reads the database, not one poll's result, so a post found by `distributor poll`
    or by a poll that crashed before planning still gets its campaign.
    """
    with sessions() as session:
        waiting = posts_awaiting_campaign(session)
    send_at = send_time(now, settings.send_slot)
    return plan_post_campaigns(sessions, waiting, configured_channels(settings), send_at, now)


def poll_and_plan(sessions: sessionmaker[Session], settings: Settings, now: datetime) -> TickReport:
    """Poll every due source, then give each new post its campaign (draft or approved)."""
    with sessions() as session, make_client() as client:
        results = poll_due(session, client=client, now=now, max_new=settings.max_new_posts_per_poll)
    new_posts = [post_id for result in results for post_id in result.new]
    return TickReport(new_posts=new_posts, campaigns=plan_new_posts(sessions, settings, now))


def drain(sender: Sender, report: TickReport, max_batches: int = 10_000) -> TickReport:
    """Send batch after batch until nothing is due (the embedded runner's worker)."""
    for _ in range(max_batches):
        batch = send_batch(sender)
        report.sent += batch.sent
        report.failed += batch.failed
        report.retrying += batch.retrying
        if not batch.claimed:
            break
    return report


def tick(sessions: sessionmaker[Session], settings: Settings, sender: Sender) -> TickReport:
    """One embedded tick: poll and plan, dispatch what is due, send until nothing is due."""
    report = poll_and_plan(sessions, settings, sender.clock())
    plan_weekly(sessions, settings.weekly_slot, settings.default_language, sender.clock())
    report.started = dispatch_due(sessions, sender.clock(), batch_size=settings.send_batch_size)
    return drain(sender, report)
