"""A sent campaign whose deliveries have the ids the bounce samples name (41-48)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from distributor.store.tables import Delivery, Subscriber
from tests.pipeline.delivery_support import NOW, add_campaign, add_post

SAMPLE_DELIVERIES = range(41, 49)


def sent_campaign(sessions: sessionmaker[Session]) -> int:
    """A campaign sent to lezer0041 ... lezer0048, delivery n to subscriber lezer00n."""
    campaign_id = add_campaign(sessions, add_post(sessions), ["email"], state="sent")
    with sessions.begin() as session:
        for number in SAMPLE_DELIVERIES:
            subscriber = Subscriber(
                email=f"lezer{number:04d}@example.org", name=f"Lezer {number}", status="confirmed"
            )
            session.add(subscriber)
            session.flush()
            session.add(
                Delivery(
                    id=number,
                    campaign_id=campaign_id,
                    channel="email",
                    recipient_key=subscriber.email,
                    subscriber_id=subscriber.id,
                    state="sent",
                    sent_at=NOW,
                )
            )
    return campaign_id


def subscriber_of(session: Session, delivery_id: int) -> Subscriber:
    """The subscriber a sample delivery went to."""
    delivery = session.get(Delivery, delivery_id)
    assert delivery is not None and delivery.subscriber_id is not None
    subscriber = session.get(Subscriber, delivery.subscriber_id)
    assert subscriber is not None
    return subscriber
