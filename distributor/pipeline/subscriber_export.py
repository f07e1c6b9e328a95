"""What we hold about subscribers, as data: one person's export (GDPR art. 15 and 20) and the
admin's export of the whole list."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from distributor.pipeline.consent import consent_record
from distributor.pipeline.subscriptions import get_subscriber
from distributor.store.tables import SUBSCRIBER_STATUSES, Campaign, Delivery, Post, Subscriber

LIST_FIELDS = ("email", "name", "language", "status", "frequency", "consent_at")


def subscriber_data(session: Session, subscriber_id: int) -> dict[str, Any]:
    """One subscriber's profile, consent record and every delivery made to them."""
    subscriber = get_subscriber(session, subscriber_id)
    return {
        "profile": {
            "email": subscriber.email,
            "name": subscriber.name,
            "language": subscriber.language,
            "status": subscriber.status,
            "frequency": subscriber.frequency,
            "created_at": _iso(subscriber.created_at),
            "unsubscribed_at": _iso(subscriber.unsubscribed_at),
        },
        "consent": consent_record(subscriber),
        "deliveries": deliveries_of(session, subscriber_id),
    }


def deliveries_of(session: Session, subscriber_id: int) -> list[dict[str, Any]]:
    """Every delivery to a subscriber: campaign title, channel, time and state."""
    query = (
        select(Delivery, Campaign, Post)
        .join(Campaign, Campaign.id == Delivery.campaign_id)
        .outerjoin(Post, Post.id == Campaign.post_id)
        .where(Delivery.subscriber_id == subscriber_id)
        .order_by(Delivery.id)
    )
    return [
        {
            "campaign_id": campaign.id,
            "campaign_title": campaign_title(campaign, post),
            "channel": delivery.channel,
            "time": _iso(delivery.sent_at or delivery.created_at),
            "state": delivery.state,
        }
        for delivery, campaign, post in session.execute(query).all()
    ]


def campaign_title(campaign: Campaign, post: Post | None) -> str:
    """The title a campaign is known by: its post's title, or the weekly digest's week."""
    if post is not None:
        return (post.digest or {}).get("title") or post.title
    when = campaign.send_at.date().isoformat() if campaign.send_at else ""
    return f"weekly digest {when}".strip()


def list_rows(session: Session, status: str | None = None) -> list[dict[str, Any]]:
    """Subscribers as rows of LIST_FIELDS (plus id), optionally of one status."""
    if status is not None and status not in SUBSCRIBER_STATUSES:
        from distributor.errors import UserError

        raise UserError(
            f"unknown status {status!r}", f"Use one of: {', '.join(SUBSCRIBER_STATUSES)}."
        )
    query = select(Subscriber).order_by(Subscriber.id)
    if status is not None:
        query = query.where(Subscriber.status == status)
    return [
        {
            "id": row.id,
            "email": row.email,
            "name": row.name,
            "language": row.language,
            "status": row.status,
            "frequency": row.frequency,
            "consent_at": _iso(row.consent_at),
            "consent_source": row.consent_source,
            "status_reason": row.status_reason,
        }
        for row in session.scalars(query)
    ]


def _iso(value) -> str | None:
    return value.isoformat() if value else None
