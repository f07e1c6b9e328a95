"""The admin's own actions on one subscriber (CLI and admin pages): add, remove, erase."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from distributor.errors import UserError
from distributor.pipeline import erase, signup, subscriptions
from distributor.ratelimit import RateLimiter
from distributor.render.i18n import SUPPORTED_LOCALES
from distributor.store.queries import record_event
from distributor.store.tables import Subscriber


def refuse_erased(session: Session, key: bytes, email: str, override: bool) -> None:
    """UserError for an address whose owner asked to be erased, unless the admin overrides."""
    if not erase.is_erased(session, key, email):
        return
    if not override:
        raise UserError(
            f"{email}: {erase.ERASED_REASON}",
            "Add it again only with the person's new consent: pass --override-erased.",
        )
    erase.forget_erasure(session, key, email)


def add_subscriber(
    sessions: sessionmaker[Session],
    config: signup.SignupConfig,
    key: bytes,
    limiter: RateLimiter,
    *,
    email: str,
    name: str,
    language: str,
    confirmed: bool,
    now: datetime,
    override_erased: bool = False,
) -> tuple[Subscriber, signup.Outcome | None]:
    """Add one subscriber; without `confirmed` they get the confirmation email."""
    address = signup.checked_address(email)
    if language not in SUPPORTED_LOCALES:
        raise UserError(
            f"unknown language {language!r}", f"Use one of: {', '.join(SUPPORTED_LOCALES)}."
        )
    with sessions() as session, session.begin():
        refuse_erased(session, key, address, override_erased)
        existing = session.scalar(select(Subscriber).where(Subscriber.email == address))
        if existing is not None:
            raise UserError(
                f"{address} is already a subscriber ({existing.status})",
                "See `distributor subscribers list`.",
            )
        subscriber = Subscriber(
            email=address,
            name=signup.clean_name(name),
            language=language,
            status="confirmed" if confirmed else "pending",
            consent_at=now,
            consent_source="added by the admin" + (" (--confirmed)" if confirmed else ""),
            confirmed_at=now if confirmed else None,
            created_at=now,
        )
        session.add(subscriber)
        session.flush()
        record_event(session, "subscriber.added", at=now, subscriber_id=subscriber.id)
    if confirmed:
        return subscriber, None
    return subscriber, signup.send_confirmation(config, key, limiter, subscriber, now)


def remove_subscriber(session: Session, email: str, now: datetime) -> Subscriber:
    """Unsubscribe an address on the admin's word."""
    subscriber = erase.find_subscriber(session, email)
    return subscriptions.unsubscribe(
        session, subscriber.id, now=now, via="admin (CLI)", campaign_id=None
    )


def erase_address(session: Session, key: bytes, email: str, now: datetime) -> int:
    """Erase the subscriber with this address; their id."""
    subscriber = erase.find_subscriber(session, email)
    subscriber_id = subscriber.id
    erase.erase_subscriber(session, key, subscriber_id, now=now, via="admin (CLI)")
    return subscriber_id
