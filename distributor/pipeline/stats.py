"""A campaign's statistics, privacy first: counts only (delivered, bounced, complaints,
unsubscribed, clicks per link, opens when turned on with Apple's proxy opens apart)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from distributor.store.tables import CampaignOpen, Delivery, Event, LinkClick, MailFeedback

BOUNCES_SHOWN = 50


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
