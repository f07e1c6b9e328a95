"""A subscriber's own choices: leave with one click, change language or frequency."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from distributor.errors import UserError
from distributor.store.queries import record_event
from distributor.store.tables import Subscriber

LANGUAGES = ("nl", "en", "fr")
FREQUENCIES = ("immediate", "weekly")
UNDO_WINDOW = timedelta(hours=24)


def get_subscriber(session: Session, subscriber_id: int) -> Subscriber:
    """The subscriber with this id; UserError when it is gone (erased)."""
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None:
        raise UserError(
            f"subscriber {subscriber_id} does not exist",
            "The address may have been erased; nothing more will be sent to it.",
        )
    return subscriber


def unsubscribe(
    session: Session,
    subscriber_id: int,
    *,
    now: datetime,
    via: str,
    campaign_id: str | None,
    link_hash: str | None = None,
) -> Subscriber:
    """Stop all mail to a subscriber (idempotent), recording how, from which campaign and link."""
    subscriber = get_subscriber(session, subscriber_id)
    if subscriber.status != "unsubscribed":
        subscriber.status_before_unsubscribe = subscriber.status
        subscriber.unsubscribe_token_hash = link_hash
        subscriber.status = "unsubscribed"
        subscriber.unsubscribed_at = now
        record_event(
            session,
            "subscriber.unsubscribed",
            at=now,
            subscriber_id=subscriber.id,
            campaign_id=int(campaign_id) if campaign_id and campaign_id.isdigit() else None,
            detail={"via": via},
        )
    return subscriber


def update_preferences(
    session: Session, subscriber_id: int, *, language: str, frequency: str, now: datetime
) -> Subscriber:
    """Change a subscriber's language and frequency (immediate or weekly digest)."""
    if language not in LANGUAGES or frequency not in FREQUENCIES:
        raise UserError(
            f"unknown choice: language {language!r}, frequency {frequency!r}",
            f"Choose a language from {LANGUAGES} and a frequency from {FREQUENCIES}.",
        )
    subscriber = get_subscriber(session, subscriber_id)
    subscriber.language = language
    subscriber.frequency = frequency
    record_event(
        session,
        "subscriber.preferences",
        at=now,
        subscriber_id=subscriber.id,
        detail={"language": language, "frequency": frequency},
    )
    return subscriber


def undo_allowed(subscriber: Subscriber, link_hash: str, now: datetime) -> bool:
    """Undo only reverses an unsubscribe of a confirmed subscriber, made through the same link,
    less than 24 hours ago."""
    return (
        subscriber.status == "unsubscribed"
        and subscriber.status_before_unsubscribe == "confirmed"
        and subscriber.unsubscribe_token_hash is not None
        and subscriber.unsubscribe_token_hash == link_hash
        and subscriber.unsubscribed_at is not None
        and now - subscriber.unsubscribed_at <= UNDO_WINDOW
    )


def resubscribe(
    session: Session, subscriber_id: int, *, now: datetime, link_hash: str
) -> Subscriber:
    """Undo an unsubscribe made by mistake from the same signed link (consent is re-recorded)."""
    subscriber = get_subscriber(session, subscriber_id)
    if not undo_allowed(subscriber, link_hash, now):
        raise UserError(
            "this unsubscribe can no longer be undone from this link",
            "Sign up again on the sign-up page to receive the newsletter.",
        )
    if subscriber.status == "unsubscribed":
        subscriber.status = "confirmed"
        subscriber.unsubscribed_at = None
        subscriber.unsubscribe_token_hash = None
        subscriber.consent_at = now
        subscriber.consent_source = "resubscribed from the unsubscribe page"
        record_event(session, "subscriber.resubscribed", at=now, subscriber_id=subscriber.id)
    return subscriber
