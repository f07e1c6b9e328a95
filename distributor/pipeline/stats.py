"""A campaign's statistics, privacy first: counts only (delivered, bounced, complaints,
unsubscribed, clicks per link, opens when turned on with Apple's proxy opens apart)."""

from __future__ import annotations

from datetime import datetime
from ipaddress import ip_address, ip_network
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from distributor.store.queries import record_event
from distributor.store.tables import (
    CampaignOpen,
    Delivery,
    Event,
    LinkClick,
    MailFeedback,
    Subscriber,
)

BOUNCES_SHOWN = 50
APPLE_NETWORK = ip_network("17.0.0.0/8")


def campaign_stats(session: Session, campaign_id: int) -> dict[str, Any]:
    """{"delivered", "bounced", "complaints", "unsubscribed", "clicks": {url: n}, "opens"}."""
    email = select(Delivery.state, Delivery.bounce, func.count(Delivery.id)).where(
        Delivery.campaign_id == campaign_id, Delivery.channel == "email"
    )
    delivered = bounced = complaints = 0
    for state, bounce, count in session.execute(email.group_by(Delivery.state, Delivery.bounce)):
        if bounce in ("hard", "soft") or state == "failed_permanent":
            bounced += count
        elif state == "sent":
            delivered += count
        complaints += count if bounce == "complaint" else 0  # and it was delivered first
    unsubscribed = session.scalar(
        select(func.count(Event.id)).where(
            Event.kind == "subscriber.unsubscribed", Event.campaign_id == campaign_id
        )
    )
    clicks = session.execute(
        select(LinkClick.url, func.count(LinkClick.id))
        .where(LinkClick.campaign_id == campaign_id)
        .group_by(LinkClick.url)
        .order_by(func.count(LinkClick.id).desc(), LinkClick.url)
    ).all()
    opens = dict(
        session.execute(
            select(CampaignOpen.apple_proxy, func.count(CampaignOpen.id))
            .where(CampaignOpen.campaign_id == campaign_id)
            .group_by(CampaignOpen.apple_proxy)
        ).all()
    )
    return {
        "delivered": delivered,
        "bounced": bounced,
        "complaints": complaints,
        "unsubscribed": unsubscribed or 0,
        "clicks": {url: count for url, count in clicks},
        "opens": {"readers": opens.get(False, 0), "apple_privacy_proxy": opens.get(True, 0)},
    }


def campaign_bounces(session: Session, campaign_id: int) -> list[dict[str, Any]]:
    """The bounces and complaints of a campaign: recipient, kind, status and the server's words."""
    rows = session.execute(
        select(
            Delivery.recipient_key, MailFeedback.kind, MailFeedback.status, MailFeedback.diagnostic
        )
        .join(Delivery, Delivery.id == MailFeedback.delivery_id)
        .where(MailFeedback.campaign_id == campaign_id)
        .order_by(MailFeedback.at, MailFeedback.id)
        .limit(BOUNCES_SHOWN)
    ).all()
    return [
        {"recipient": r, "kind": kind, "status": status, "diagnostic": text}
        for r, kind, status, text in rows
    ]


def record_click(
    session: Session, campaign_id: int, url: str, subscriber_id: int | None, now: datetime
) -> None:
    """Count one click; the reader is kept only if they opted in to per-person statistics."""
    if subscriber_id is not None:
        subscriber = session.get(Subscriber, subscriber_id)
        if subscriber is None or not subscriber.per_person_stats:
            subscriber_id = None
    session.add(LinkClick(at=now, campaign_id=campaign_id, url=url, subscriber_id=subscriber_id))


def record_open(session: Session, campaign_id: int, apple_proxy: bool, now: datetime) -> None:
    """Count one open of a campaign (no reader), Apple's proxy opens labelled apart."""
    session.add(CampaignOpen(at=now, campaign_id=campaign_id, apple_proxy=apple_proxy))


def is_apple_privacy_proxy(client_ip: str | None, user_agent: str) -> bool:
    """Apple Mail Privacy Protection fetches images from Apple's 17.0.0.0/8 network with the bare
    user agent "Mozilla/5.0", whether or not the reader ever opened the message."""
    if user_agent.strip() == "Mozilla/5.0":
        return True
    try:
        return ip_address(client_ip or "") in APPLE_NETWORK
    except ValueError:
        return False


def set_per_person_stats(
    session: Session, subscriber: Subscriber, allowed: bool, now: datetime
) -> None:
    """Record a reader's choice about per-person click statistics (off unless they turn it on)."""
    if subscriber.per_person_stats != allowed:
        subscriber.per_person_stats = allowed
        record_event(
            session,
            "subscriber.per_person_stats",
            at=now,
            subscriber_id=subscriber.id,
            detail={"allowed": allowed},
        )
