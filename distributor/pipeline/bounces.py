"""Bounces and complaints recorded: on the delivery, and on its subscriber by the rules below.

- hard bounce (5.x.x): the subscriber is `bounced` at once;
- soft bounce (4.x.x): counted; `bounced` after SOFT_LIMIT of them within SOFT_WINDOW;
- complaint (ARF abuse report): `unsubscribed` at once, reason "complaint".
A report is recorded once (a mailbox imported twice changes nothing); warnings (delayed) and
reports that name no delivery of ours are skipped and counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from distributor.bounces.mailbox import ImapLocation, ImapMailbox
from distributor.bounces.parse import FeedbackReport, parse_report
from distributor.store.queries import record_event
from distributor.store.tables import Delivery, MailFeedback, Subscriber

MAILBOX_BATCH = 500  # messages read from the bounce mailbox per beat run
SOFT_LIMIT = 3
SOFT_WINDOW = timedelta(days=30)
RECORDED = ("hard", "soft", "complaint")


@dataclass
class FeedbackTally:
    """What an import or a mailbox read did, by outcome."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        """Count one report under its outcome."""
        self.counts[outcome] = self.counts.get(outcome, 0) + 1

    def summary(self) -> str:
        """e.g. "hard 2, complaint 1, not ours 1"."""
        return ", ".join(f"{name} {n}" for name, n in sorted(self.counts.items())) or "nothing"


def import_reports(
    sessions: sessionmaker[Session], messages: Iterable[bytes], key: bytes, now: datetime
) -> FeedbackTally:
    """Parse and record each message (each in its own transaction)."""
    tally = FeedbackTally()
    for raw in messages:
        tally.add(_record_one(sessions, raw, key, now))
    return tally


def read_bounce_mailbox(
    sessions: sessionmaker[Session],
    location: ImapLocation,
    key: bytes,
    clock: Callable[[], datetime],
    limit: int = MAILBOX_BATCH,
) -> FeedbackTally:
    """Record the reports waiting in the IMAP mailbox; each moves to the processed folder once
    its outcome is committed (a crash in between records it again as a duplicate: harmless)."""
    tally = FeedbackTally()
    with ImapMailbox(location) as box:
        for uid, raw in box.messages(limit):
            tally.add(_record_one(sessions, raw, key, clock()))
            box.processed(uid)
    return tally


def _record_one(sessions: sessionmaker[Session], raw: bytes, key: bytes, now: datetime) -> str:
    report = parse_report(raw, key)
    with sessions.begin() as session:
        return record_report(session, report, now)


def record_report(session: Session, report: FeedbackReport, now: datetime) -> str:
    """Record one parsed report; returns its outcome (its kind, "duplicate", "not ours", ...)."""
    if report.kind not in RECORDED:
        return report.kind  # delayed warnings and unknown reports change nothing
    delivery = _delivery(session, report)
    if delivery is None:
        return "not ours"
    if session.scalar(select(MailFeedback.id).where(MailFeedback.report_key == report.report_key)):
        return "duplicate"
    session.add(
        MailFeedback(
            at=now,
            kind=report.kind,
            delivery_id=delivery.id,
            campaign_id=delivery.campaign_id,
            subscriber_id=delivery.subscriber_id,
            status=report.status,
            diagnostic=report.diagnostic,
            report_key=report.report_key,
        )
    )
    if delivery.bounce != "complaint":  # a complaint is the strongest word about a delivery
        delivery.bounce = report.kind
        delivery.bounce_detail = _detail(report)
    session.flush()
    subscriber = session.get(Subscriber, delivery.subscriber_id) if delivery.subscriber_id else None
    if subscriber is not None:
        _apply(session, subscriber, report, delivery, now)
    return report.kind


def _delivery(session: Session, report: FeedbackReport) -> Delivery | None:
    for delivery_id in report.delivery_ids:
        delivery = session.get(Delivery, delivery_id)
        if delivery is not None and delivery.channel == "email":
            return delivery
    return None


def _detail(report: FeedbackReport) -> str:
    status = f"{report.status} " if report.status and report.status not in report.diagnostic else ""
    return f"{status}{report.diagnostic}".strip()


def _apply(
    session: Session,
    subscriber: Subscriber,
    report: FeedbackReport,
    delivery: Delivery,
    now: datetime,
) -> None:
    """Change the subscriber's status as the rules say, with an event."""
    ids = {"subscriber_id": subscriber.id, "campaign_id": delivery.campaign_id}
    if report.kind == "complaint":
        if subscriber.status != "unsubscribed":
            subscriber.status, subscriber.status_reason = "unsubscribed", "complaint"
            subscriber.unsubscribed_at = now
            record_event(
                session, "subscriber.unsubscribed", at=now, detail={"via": "complaint"}, **ids
            )
        return
    if subscriber.status in ("unsubscribed", "bounced"):
        return
    if report.kind == "soft" and _recent_soft_bounces(session, subscriber.id, now) < SOFT_LIMIT:
        return
    subscriber.status = "bounced"
    subscriber.status_reason = "hard bounce" if report.kind == "hard" else "soft bounces"
    record_event(session, "subscriber.bounced", at=now, detail={"reason": _detail(report)}, **ids)


def _recent_soft_bounces(session: Session, subscriber_id: int, now: datetime) -> int:
    return (
        session.scalar(
            select(func.count(MailFeedback.id)).where(
                MailFeedback.subscriber_id == subscriber_id,
                MailFeedback.kind == "soft",
                MailFeedback.at >= now - SOFT_WINDOW,
            )
        )
        or 0
    )


def last_feedback(session: Session, subscriber_ids: list[int]) -> dict[int, str]:
    """Each subscriber's latest bounce or complaint, as "kind: diagnostic"."""
    if not subscriber_ids:
        return {}
    rows = session.execute(
        select(MailFeedback.subscriber_id, MailFeedback.kind, MailFeedback.diagnostic)
        .where(MailFeedback.subscriber_id.in_(subscriber_ids))
        .order_by(MailFeedback.at, MailFeedback.id)
    ).all()
    return {sid: f"{kind}: {text}" for sid, kind, text in rows if sid is not None}
