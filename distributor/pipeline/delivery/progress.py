"""Read models of delivery: a campaign's progress per channel, its recent failures, and the
whole installation's status (sources, campaigns by state, next send, open deliveries)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from distributor.store.tables import Campaign, Delivery, Source

MAX_FAILURES = 50
FAILED_ROWS = ("failed_temporary", "failed_permanent")
PROGRESS_KEYS = ("pending", "claimed", "sent", "failed")


def iso(moment: datetime | None) -> str | None:
    """An ISO time or None."""
    return moment.isoformat() if moment else None


@dataclass(frozen=True)
class Failure:
    """One delivery that failed (for now or for good), with why and what happens next."""

    channel: str
    recipient: str
    error: str | None
    attempts: int
    next_attempt_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        """The `campaigns show --json` failure keys."""
        return asdict(self) | {"next_attempt_at": iso(self.next_attempt_at)}


def channel_progress(session: Session, campaign_id: int) -> dict[str, dict[str, int]]:
    """Per channel: pending (incl. waiting to retry), claimed, sent, failed (and cancelled)."""
    rows = session.execute(
        select(Delivery.channel, Delivery.state, func.count())
        .where(Delivery.campaign_id == campaign_id)
        .group_by(Delivery.channel, Delivery.state)
    ).all()
    summary: dict[str, dict[str, int]] = {}
    for channel, state, n in rows:
        entry = summary.setdefault(channel, dict.fromkeys(PROGRESS_KEYS, 0))
        key = {"failed_temporary": "pending", "failed_permanent": "failed"}.get(state, state)
        entry[key] = entry.get(key, 0) + n
    return summary


def recent_failures(session: Session, campaign_id: int, limit: int = MAX_FAILURES) -> list[Failure]:
    """The campaign's failed deliveries with their reasons, most recent first."""
    rows = session.execute(
        select(
            Delivery.channel,
            Delivery.recipient_key,
            Delivery.error,
            Delivery.attempts,
            Delivery.next_attempt_at,
        )
        .where(Delivery.campaign_id == campaign_id, Delivery.state.in_(FAILED_ROWS))
        .order_by(Delivery.last_attempt_at.desc().nulls_last(), Delivery.id.desc())
        .limit(limit)
    ).all()
    return [Failure(*row) for row in rows]


def failing_channels(session: Session, campaign_id: int) -> dict[str, str]:
    """Channels of which every delivery failed, each with its latest reason."""
    failing = {}
    for channel, counts in channel_progress(session, campaign_id).items():
        total = sum(counts.values())
        attempted_and_failed = counts["sent"] == 0 and counts["claimed"] == 0
        if total and attempted_and_failed and _all_failed(session, campaign_id, channel):
            failing[channel] = _latest_error(session, campaign_id, channel)
    return failing


def _all_failed(session: Session, campaign_id: int, channel: str) -> bool:
    query = select(func.count()).where(
        Delivery.campaign_id == campaign_id,
        Delivery.channel == channel,
        ~Delivery.state.in_(FAILED_ROWS),
    )
    return not session.scalar(query.select_from(Delivery))


def _latest_error(session: Session, campaign_id: int, channel: str) -> str:
    query = (
        select(Delivery.error)
        .where(Delivery.campaign_id == campaign_id, Delivery.channel == channel)
        .where(Delivery.error.is_not(None))
        .order_by(Delivery.last_attempt_at.desc().nulls_last(), Delivery.id.desc())
    )
    return session.scalar(query.limit(1)) or "failed without a reason"


@dataclass(frozen=True)
class SourceStatus:
    """One source: what it is, when it was last polled, and its error if any."""

    id: int
    kind: str
    target: str
    last_polled_at: datetime | None
    error: str | None

    def as_json(self) -> dict[str, Any]:
        """JSON keys of `distributor status --json` sources."""
        return asdict(self) | {"last_polled_at": iso(self.last_polled_at)}


@dataclass(frozen=True)
class Status:
    """The installation at a glance."""

    sources: list[SourceStatus]
    campaigns: dict[str, int]  # state -> count
    next_send_at: datetime | None
    next_send_campaign: int | None
    deliveries: dict[str, int]  # pending, failed

    def as_json(self) -> dict[str, Any]:
        """The `distributor status --json` object."""
        return {
            "sources": [source.as_json() for source in self.sources],
            "campaigns": self.campaigns,
            "next_send": {"campaign": self.next_send_campaign, "at": iso(self.next_send_at)},
            "deliveries": self.deliveries,
        }


def status(session: Session) -> Status:
    """Sources with their last poll and error, campaigns by state, next send, open deliveries."""
    sources = session.scalars(
        select(Source).where(Source.removed_at.is_(None)).order_by(Source.id)
    ).all()
    by_state = dict(
        session.execute(select(Campaign.state, func.count()).group_by(Campaign.state)).all()
    )
    upcoming = session.execute(
        select(Campaign.id, Campaign.send_at)
        .where(Campaign.state == "approved")
        .order_by(Campaign.send_at, Campaign.id)
        .limit(1)
    ).first()
    rows = dict(
        session.execute(select(Delivery.state, func.count()).group_by(Delivery.state)).all()
    )
    pending = sum(rows.get(state, 0) for state in ("pending", "claimed", "failed_temporary"))
    return Status(
        sources=[SourceStatus(s.id, s.kind, s.target, s.last_polled_at, s.error) for s in sources],
        campaigns={state: int(n) for state, n in sorted(by_state.items())},
        next_send_at=upcoming.send_at if upcoming else None,
        next_send_campaign=upcoming.id if upcoming else None,
        deliveries={"pending": pending, "failed": rows.get("failed_permanent", 0)},
    )
