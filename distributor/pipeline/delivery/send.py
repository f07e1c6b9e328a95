"""Sending one batch: claim due rows, send each through its channel, record every outcome.

Outcomes are recorded (and committed) every few messages and whenever a failure streak or a
pause ends the batch, each update guarded by our claim token, so a crash loses at most the
outcomes of the messages in flight since the last record. A batch stops early, handing its
unsent rows back, when its lease runs short, the rate limit asks for a long wait, the channel
fails several times in a row (a server that is down), or its campaign pauses itself.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import groupby

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from distributor.channels.base import Channel
from distributor.errors import UserError
from distributor.model import Message, Receipt, Snippet
from distributor.pipeline.delivery.claim import Claimed, claim_batch, record_outcomes, release
from distributor.pipeline.delivery.compose import Composer
from distributor.pipeline.delivery.planning import finish_done_campaigns
from distributor.pipeline.delivery.states import pause
from distributor.ratelimit import RateLimit, RateLimiter, acquire
from distributor.retry import Outcome, RetryPolicy, outcome_for, pause_reason
from distributor.store.tables import Campaign

log = logging.getLogger(__name__)
FAILURE_STREAK = 3  # temporary failures in a row that end a batch (the server is likely down)
# Stop a batch this long before its lease ends, so no send is still in flight when the row could
# be claimed again (above the SMTP timeout of 30 s; half the lease when the lease is short).
LEASE_MARGIN_S = 35.0
LIMITER_RETRY_S = 2.0


def worker_name() -> str:
    """A name for this process in claim tokens: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Sender:
    """Everything a batch needs, built once per process by the entry point."""

    sessions: sessionmaker[Session]
    open_channel: Callable[[str], Channel]  # campaign channel name ("email", "x", ...) -> channel
    open_composer: Callable[[Session, int], Composer]
    limiter: RateLimiter
    limits: dict[str, RateLimit] = field(default_factory=dict)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    batch_size: int = 200
    lease_s: float = 300.0
    record_every: int = 10
    worker: str = field(default_factory=worker_name)


@dataclass
class BatchReport:
    """What one batch did."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    released: int = 0
    paused: list[int] = field(default_factory=list)

    def add(self, outcomes: list[tuple[Claimed, Outcome]]) -> None:
        """Count recorded outcomes."""
        for _, outcome in outcomes:
            if outcome.state == "sent":
                self.sent += 1
            elif outcome.state == "failed_temporary":
                self.retrying += 1
            else:
                self.failed += 1


def send_batch(
    sender: Sender, channel: str | None = None, campaign_id: int | None = None
) -> BatchReport:
    """Claim one batch of due rows (of one campaign, if given) and deliver it."""
    token = f"{sender.worker}:{uuid.uuid4().hex[:10]}"
    with sender.sessions() as session:
        rows = claim_batch(
            session,
            token=token,
            limit=sender.batch_size,
            lease_s=sender.lease_s,
            now=sender.clock(),
            channel=channel,
            campaign_id=campaign_id,
        )
    report = BatchReport(claimed=len(rows))
    channels: dict[str, Channel] = {}
    try:
        keyed = sorted(rows, key=lambda r: (r.campaign_id, r.channel, r.id))
        for (campaign_id, name), group in groupby(keyed, key=lambda r: (r.campaign_id, r.channel)):
            if name not in channels:
                channels[name] = sender.open_channel(name)
            deliver_group(sender, token, campaign_id, channels[name], name, list(group), report)
    finally:
        for opened in channels.values():
            opened.close()
    if rows:
        finish_done_campaigns(sender.sessions, sender.clock())
    return report


def deliver_group(
    sender: Sender,
    token: str,
    campaign_id: int,
    channel: Channel,
    name: str,
    rows: list[Claimed],
    report: BatchReport,
) -> None:
    """Send the rows of one campaign over one channel, recording as it goes."""
    try:
        with sender.sessions() as session:
            composer = sender.open_composer(session, campaign_id)
            composer.load(session, rows)
    except UserError as exc:
        failed = Outcome("failed_permanent", exc.message, None)
        flush(sender, token, campaign_id, [(row, failed) for row in rows], report)
        return
    limit = sender.limits.get(name)
    kind = "email" if name == "email" else "social"
    buffer: list[tuple[Claimed, Outcome]] = []
    streak = 0
    for index, row in enumerate(rows):
        now = sender.clock()
        skip = composer.skip_reason(row)
        if skip:
            buffer.append((row, Outcome("failed_permanent", skip, None, skipped=True)))
            continue
        left = (row.lease_until - now).total_seconds() - min(LEASE_MARGIN_S, sender.lease_s / 2)
        retry_at, stop = None, left <= 0
        item = None if stop else build_item(composer, row, now)
        if not stop and limit is not None and not isinstance(item, Receipt):
            wait = wait_for_slot(sender, name, limit, left, requests_in(item))
            retry_at, stop = (now + timedelta(seconds=wait), True) if wait else (None, False)
        if stop or item is None:
            flush(sender, token, campaign_id, buffer, report)
            release_rest(sender, token, rows[index:], retry_at, report)
            return
        receipt = item if isinstance(item, Receipt) else deliver_one(channel, row, item)
        outcome = outcome_for(receipt, row.attempts + 1, sender.clock(), sender.policy, kind)
        buffer.append((row, outcome))
        streak = streak + 1 if outcome.state == "failed_temporary" else 0
        if len(buffer) >= sender.record_every or outcome.state != "sent":
            paused = flush(sender, token, campaign_id, buffer, report)
            if paused or streak >= FAILURE_STREAK:
                retry_at = outcome.next_attempt_at if streak >= FAILURE_STREAK else None
                release_rest(sender, token, rows[index + 1 :], retry_at, report)
                return
    flush(sender, token, campaign_id, buffer, report)


def wait_for_slot(
    sender: Sender, name: str, limit: RateLimit, max_wait_s: float, cost: int = 1
) -> float:
    """Wait for rate-limit slots: 0.0 when granted, else seconds to come back later.

    When the limiter itself is unreachable (Redis restarting), nothing is sent: come back soon.
    """
    try:
        return acquire(sender.limiter, name, limit, max_wait_s=max_wait_s, cost=cost)
    except Exception:
        log.warning("rate limiter unavailable for %s; handing the batch back", name)
        return LIMITER_RETRY_S


def requests_in(item: Message | Snippet | None) -> int:
    """How many provider requests an item costs: one email, or each thread post still to go."""
    if isinstance(item, Snippet):
        return max(1, len(item.texts) - len(item.posted))
    return 1


def build_item(composer: Composer, row: Claimed, now: datetime) -> Message | Snippet | Receipt:
    """The row's email or thread; a Receipt (permanent failure) when it cannot be built."""
    try:
        return composer.item(row, now)
    except Exception as exc:
        log.exception("could not build delivery %s", row.id)
        return Receipt(ok=False, error=f"could not build the message: {exc}")


def deliver_one(channel: Channel, row: Claimed, item: Message | Snippet) -> Receipt:
    """Send one item; a channel that raises instead of answering counts as a temporary failure."""
    try:
        return channel.send(item)
    except Exception as exc:
        log.exception("channel %s raised for delivery %s", channel.name, row.id)
        return Receipt(ok=False, error=f"{type(exc).__name__}: {exc}", temporary=True)


def flush(
    sender: Sender,
    token: str,
    campaign_id: int,
    buffer: list[tuple[Claimed, Outcome]],
    report: BatchReport,
) -> bool:
    """Record the buffered outcomes in one transaction; True when the campaign paused itself."""
    if not buffer:
        return False
    with sender.sessions.begin() as session:
        record_outcomes(session, token, buffer, sender.clock())
        paused = count_failures(session, campaign_id, buffer, sender.policy, sender.clock())
    report.add(buffer)
    if paused:
        report.paused.append(campaign_id)
    buffer.clear()
    return paused


def count_failures(
    session: Session,
    campaign_id: int,
    outcomes: list[tuple[Claimed, Outcome]],
    policy: RetryPolicy,
    now: datetime,
) -> bool:
    """Track consecutive final failures of a campaign; pause it past the limit (True if paused)."""
    finals = [o for _, o in outcomes if o.state != "failed_temporary" and not o.skipped]
    if not finals:
        return False
    trailing = 0
    for outcome in reversed(finals):
        if outcome.state == "sent":
            break
        trailing += 1
    if trailing == 0:  # the last final outcome went out: reset, writing only if not yet zero
        campaigns = Campaign.__table__
        session.connection().execute(
            update(campaigns)
            .where(campaigns.c.id == campaign_id, campaigns.c.consecutive_failures != 0)
            .values(consecutive_failures=0)
        )
        return False
    value = trailing if trailing < len(finals) else Campaign.consecutive_failures + trailing
    session.execute(
        update(Campaign).where(Campaign.id == campaign_id).values(consecutive_failures=value)
    )
    count = session.scalar(select(Campaign.consecutive_failures).where(Campaign.id == campaign_id))
    if not count or count < policy.pause_after:
        return False
    last_error = next((o.error for o in reversed(finals) if o.error), None)
    reason = pause_reason(count, last_error)
    pause(session, campaign_id, reason, now)
    return True


def release_rest(
    sender: Sender,
    token: str,
    rows: list[Claimed],
    retry_at: datetime | None,
    report: BatchReport,
) -> None:
    """Hand unsent rows back to pending (not before `retry_at`)."""
    if rows:
        with sender.sessions.begin() as session:
            release(session, token, rows, retry_at)
        report.released += len(rows)
