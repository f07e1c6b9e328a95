"""Erasure (GDPR art. 17): the person's name, address and consent record are deleted; only a
keyed hash of the address stays, so the same address is never imported or signed up again
without an explicit override."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from distributor.errors import UserError
from distributor.store.queries import record_event
from distributor.store.tables import Delivery, ErasedAddress, Subscriber

ERASED_REASON = "this address asked to be erased"


def address_hash(key: bytes, email: str) -> str:
    """The keyed hash (HMAC-SHA256) an erased address is remembered by."""
    return hmac.new(key, email.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()


def is_erased(session: Session, key: bytes, email: str) -> bool:
    """Whether the owner of this address asked to be erased."""
    return session.get(ErasedAddress, address_hash(key, email)) is not None


def erased_among(session: Session, key: bytes, emails: list[str]) -> set[str]:
    """The addresses among `emails` whose owners asked to be erased."""
    by_hash = {address_hash(key, email): email for email in emails}
    found: set[str] = set()
    hashes = list(by_hash)
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        query = select(ErasedAddress.address_hash).where(ErasedAddress.address_hash.in_(chunk))
        found |= {by_hash[value] for value in session.scalars(query)}
    return found


def forget_erasure(session: Session, key: bytes, email: str) -> None:
    """Allow an erased address again (the admin's explicit --override-erased)."""
    session.execute(
        delete(ErasedAddress).where(ErasedAddress.address_hash == address_hash(key, email))
    )


def erase_subscriber(
    session: Session, key: bytes, subscriber_id: int, *, now: datetime, via: str
) -> None:
    """Delete a subscriber and their consent record; deliveries keep only the subscriber id."""
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None:
        raise UserError(f"subscriber {subscriber_id} does not exist", "It may be erased already.")
    hashed = address_hash(key, subscriber.email)
    session.execute(
        update(Delivery)
        .where(Delivery.subscriber_id == subscriber_id)
        .values(recipient_key=f"subscriber:{subscriber_id}", subscriber_id=None)
    )
    session.delete(subscriber)
    if session.get(ErasedAddress, hashed) is None:
        session.add(ErasedAddress(address_hash=hashed, erased_at=now))
    record_event(
        session, "subscriber.erased", at=now, subscriber_id=subscriber_id, detail={"via": via}
    )
    session.flush()


def find_subscriber(session: Session, email: str) -> Subscriber:
    """The subscriber with this address; UserError when there is none."""
    subscriber = session.scalar(select(Subscriber).where(Subscriber.email == email.strip().lower()))
    if subscriber is None:
        raise UserError(
            f"no subscriber has the address {email.strip()}",
            "Check the spelling with `distributor subscribers list`.",
        )
    return subscriber
