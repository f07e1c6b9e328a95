"""Claiming delivery rows with a lease, and recording what happened to them.

A claim is one UPDATE of up to `limit` due rows to `claimed`, with the claimer's token and a
lease; on PostgreSQL the rows are picked with `FOR UPDATE SKIP LOCKED`, on SQLite the UPDATE
runs inside an immediate (write-locked) transaction, so two claimers never get the same row.
A row whose lease expired (its worker died) is due again. Recording an outcome only applies
while the claim is still ours, so a late worker can never overwrite a newer claim's result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from distributor.retry import Outcome
from distributor.store.tables import Campaign, Delivery, Subscriber

RETRYABLE = ("pending", "failed_temporary")


@dataclass(frozen=True)
class Claimed:
    """One claimed delivery row: what to send, to whom, over which channel."""

    id: int
    campaign_id: int
    channel: str
    recipient_key: str
    subscriber_id: int | None
    attempts: int
    progress: tuple[str, ...]
    lease_until: datetime


def due_condition(now: datetime) -> Any:
    """Rows ready to (re)try now, and claimed rows whose lease has expired."""
    ready = and_(
        Delivery.state.in_(RETRYABLE),
        or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now),
    )
    expired = and_(Delivery.state == "claimed", Delivery.lease_until < now)
    return or_(ready, expired)


def return_expired(session: Session, now: datetime) -> int:
    """Put rows whose lease expired (their worker died) back to pending; returns how many.

    Claiming takes expired rows anyway; this keeps the counts shown to the admin truthful.
    """
    result = session.execute(
        update(Delivery)
        .where(Delivery.state == "claimed", Delivery.lease_until < now)
        .values(state="pending", lease_until=None, claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def due_count(session: Session, now: datetime) -> int:
    """How many rows of sending campaigns are due now (to size the number of send tasks)."""
    sending = select(Campaign.id).where(Campaign.state == "sending")
    query = select(func.count()).where(due_condition(now), Delivery.campaign_id.in_(sending))
    return int(session.scalar(query.select_from(Delivery)) or 0)


def claim_batch(
    session: Session,
    *,
    token: str,
    limit: int,
    lease_s: float,
    now: datetime,
    channel: str | None = None,
    campaign_id: int | None = None,
) -> list[Claimed]:
    """Claim up to `limit` due rows of sending campaigns (or of one) for `token`; commits."""
    sending = select(Campaign.id).where(Campaign.state == "sending")
    candidates = (
        select(Delivery.id)
        .where(due_condition(now), Delivery.campaign_id.in_(sending))
        .limit(limit)  # no ORDER BY: the (state, next_attempt_at) index finds due rows directly
    )
    if channel is not None:
        candidates = candidates.where(Delivery.channel == channel)
    if campaign_id is not None:
        candidates = candidates.where(Delivery.campaign_id == campaign_id)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    lease_until = now + timedelta(seconds=lease_s)
    statement = (
        update(Delivery)
        .where(Delivery.id.in_(candidates.scalar_subquery()))
        .values(state="claimed", claimed_by=token, lease_until=lease_until)
        .returning(
            Delivery.id,
            Delivery.campaign_id,
            Delivery.channel,
            Delivery.recipient_key,
            Delivery.subscriber_id,
            Delivery.attempts,
            Delivery.progress,
        )
        .execution_options(synchronize_session=False)
    )
    rows = session.execute(statement).all()
    session.commit()
    claimed = [
        Claimed(
            r.id,
            r.campaign_id,
            r.channel,
            r.recipient_key,
            r.subscriber_id,
            r.attempts,
            tuple(r.progress or ()),
            lease_until,
        )
        for r in rows
    ]
    return sorted(claimed, key=lambda c: c.id)


def record_outcomes(
    session: Session, token: str, results: Sequence[tuple[Claimed, Outcome]], now: datetime
) -> int:
    """Store each row's outcome while our claim on it holds; returns how many were stored.

    Hard bounces mark their subscriber bounced. The caller commits (one unit of work).
    """
    if not results:
        return 0
    params = [
        {
            "b_id": claimed.id,
            "b_token": token,
            "b_state": outcome.state,
            "b_attempts": claimed.attempts + 1,
            "b_error": outcome.error,
            "b_next": outcome.next_attempt_at,
            "b_sent": now if outcome.state == "sent" else None,
            "b_attempted": now,
            "b_remote": outcome.remote_id,
            "b_progress": list(outcome.parts),
        }
        for claimed, outcome in results
    ]
    table = Delivery.__table__
    statement = (
        update(table)
        .where(
            table.c.id == bindparam("b_id"),
            table.c.claimed_by == bindparam("b_token"),
            table.c.state == "claimed",
        )
        .values(
            state=bindparam("b_state"),
            attempts=bindparam("b_attempts"),
            error=bindparam("b_error"),
            next_attempt_at=bindparam("b_next"),
            sent_at=bindparam("b_sent"),
            last_attempt_at=bindparam("b_attempted"),
            remote_id=bindparam("b_remote"),
            progress=bindparam("b_progress"),
            lease_until=None,
        )
    )
    stored = session.connection().execute(statement, params).rowcount
    bounced = [c.subscriber_id for c, o in results if o.suppress and c.subscriber_id]
    if bounced:
        session.execute(
            update(Subscriber)
            .where(Subscriber.id.in_(bounced), Subscriber.status == "confirmed")
            .values(status="bounced")
        )
    return stored


def release(
    session: Session, token: str, rows: Sequence[Claimed], retry_at: datetime | None
) -> None:
    """Give claimed rows back unattempted (pending again, optionally not before `retry_at`)."""
    if not rows:
        return
    session.execute(
        update(Delivery)
        .where(
            Delivery.id.in_([row.id for row in rows]),
            Delivery.claimed_by == token,
            Delivery.state == "claimed",
        )
        .values(state="pending", lease_until=None, next_attempt_at=retry_at)
        .execution_options(synchronize_session=False)
    )
