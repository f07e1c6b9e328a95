"""Joining on the web or from the CLI, with double opt-in: a request records the proof of consent
and mails a signed 7-day link; only the POST behind that link confirms; a welcome follows.

The answer to a request never depends on the address's state (new, pending, confirmed,
unsubscribed, bounced, erased), so the form cannot be used to learn who subscribes.
"""

from __future__ import annotations

import logging
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from distributor.addresses import BadAddress, normalised_address
from distributor.channels.base import Channel
from distributor.errors import UserError
from distributor.model import Message
from distributor.pipeline import consent, erase
from distributor.pipeline.signup_limits import CONFIRMATIONS_PER_ADDRESS
from distributor.ratelimit import RateLimit, RateLimiter
from distributor.render.dkim_signing import DkimKey
from distributor.render.i18n import SUPPORTED_LOCALES
from distributor.render.newsletter import PracticeInfo, message_id_for
from distributor.render.notices import Envelope, PostCard, WelcomeLinks, confirmation_email
from distributor.render.notices import welcome_email as render_welcome
from distributor.signed import InvalidSigned, sign, unsign
from distributor.store.queries import record_event
from distributor.store.tables import Post, Subscriber
from distributor.tokens import make_token, preferences_url, unsubscribe_url

log = logging.getLogger(__name__)
CONFIRM_PURPOSE = "confirm"
CONFIRM_MAX_AGE_S = 7 * 86_400
NAME_MAX = 200
LINK_LIKE = re.compile(r"(://|www\.|data:|javascript:|\bhttps?\b|<|>)", re.IGNORECASE)


@dataclass(frozen=True)
class SignupConfig:
    """The plain values sign-up needs (made from Settings by distributor/signup_settings.py)."""

    public_url: str  # without a trailing slash
    letterhead: PracticeInfo
    dkim: DkimKey | None
    welcome_email: bool
    per_ip: RateLimit
    consent_texts: Mapping[str, str]  # per language
    default_language: str
    open_email: Callable[[], Channel]

    def consent_text(self, language: str) -> consent.ConsentText:
        """The consent text shown in a language, with its version."""
        return consent.consent_text(self.consent_texts, language, self.default_language)


class Outcome(StrEnum):
    """What a sign-up request led to (never shown to the person asking)."""

    CONFIRMATION_SENT = "confirmation sent"
    ALREADY_CONFIRMED = "already confirmed: nothing sent"
    BOUNCED = "address bounced: nothing sent"
    ERASED = "address erased: nothing sent"
    LIMITED = "too many confirmation emails to this address today"
    MAIL_FAILED = "the confirmation email could not be sent"


@dataclass(frozen=True)
class SignupForm:
    """What a person typed: address, optional name, language."""

    email: str
    name: str
    language: str


def clean_name(name: str) -> str:
    """A name fit to keep: no control characters, no links (spam bots' payload), 200 chars max."""
    printable = "".join(ch for ch in name[: NAME_MAX * 4] if unicodedata.category(ch)[0] != "C")
    cleaned = " ".join(printable.split())[:NAME_MAX].strip()
    return "" if LINK_LIKE.search(cleaned) else cleaned


def checked_address(email: str) -> str:
    """The address in normal form, lower-case; UserError when it cannot receive email."""
    try:
        return normalised_address(email.strip()[:320]).lower()
    except BadAddress as exc:
        raise UserError(
            f"{email.strip()[:80]!r} is not a valid email address", exc.reason
        ) from None


def ip_allowed(limiter: RateLimiter, config: SignupConfig, ip: str) -> bool:
    """Whether one more sign-up or resend request may come from this client address now."""
    return limiter.try_acquire(f"signup:ip:{ip}", config.per_ip) <= 0


def record_request(
    session: Session, key: bytes, form: SignupForm, proof: consent.ConsentProof
) -> tuple[Outcome | None, Subscriber | None]:
    """Record a sign-up request; (None, subscriber) when a confirmation email should go out."""
    email = checked_address(form.email)
    if erase.is_erased(session, key, email):
        return Outcome.ERASED, None
    subscriber = session.scalar(select(Subscriber).where(Subscriber.email == email))
    if subscriber is not None and subscriber.status in ("confirmed", "bounced"):
        outcome = Outcome.ALREADY_CONFIRMED if subscriber.status == "confirmed" else Outcome.BOUNCED
        return outcome, subscriber
    if subscriber is None:
        subscriber = Subscriber(email=email, created_at=proof.at, frequency="immediate")
        session.add(subscriber)
    subscriber.status = "pending"
    subscriber.name = clean_name(form.name) or subscriber.name or ""
    subscriber.language = form.language if form.language in SUPPORTED_LOCALES else "en"
    consent.record_request(subscriber, proof)
    session.flush()
    record_event(
        session,
        "subscriber.signup_requested",
        at=proof.at,
        subscriber_id=subscriber.id,
        detail={"text_version": proof.text.version},
    )
    return None, subscriber


def confirm_link(config: SignupConfig, key: bytes, subscriber: Subscriber, now: datetime) -> str:
    """The signed link that confirms this subscriber's latest request; valid 7 days from now."""
    assert subscriber.consent_at is not None
    payload = [subscriber.id, int(subscriber.consent_at.timestamp())]
    token = sign(key, CONFIRM_PURPOSE, payload, now)
    return f"{config.public_url}/confirm/{token}"


def send_email(config: SignupConfig, message: Message) -> bool:
    """Send one notice through the configured email channel (outbox or SMTP)."""
    channel = config.open_email()
    try:
        receipt = channel.send(message)
    finally:
        channel.close()
    if not receipt.ok:
        log.warning("notice %s not sent: %s", message.message_id, receipt.error)
    return receipt.ok


def send_confirmation(
    config: SignupConfig, key: bytes, limiter: RateLimiter, subscriber: Subscriber, now: datetime
) -> Outcome:
    """Mail the confirmation link, at most 5 times per address per day."""
    limit_key = f"signup:confirm:{erase.address_hash(key, subscriber.email)}"
    if limiter.try_acquire(limit_key, CONFIRMATIONS_PER_ADDRESS) > 0:
        return Outcome.LIMITED
    envelope = Envelope(
        to=subscriber.email,
        language=subscriber.language,
        message_id=message_id_for(f"confirm-{secrets.token_hex(8)}", config.letterhead.from_email),
        now=now,
        key=f"confirm-{subscriber.id}-{secrets.token_hex(4)}",
    )
    message = confirmation_email(
        config.letterhead, envelope, confirm_link(config, key, subscriber, now), config.dkim
    )
    return Outcome.CONFIRMATION_SENT if send_email(config, message) else Outcome.MAIL_FAILED


def sign_up(
    sessions: sessionmaker[Session],
    config: SignupConfig,
    key: bytes,
    limiter: RateLimiter,
    form: SignupForm,
    proof: consent.ConsentProof,
) -> Outcome:
    """Handle one sign-up request: record it, and mail a confirmation link when due."""
    with sessions() as session, session.begin():
        outcome, subscriber = record_request(session, key, form, proof)
    if outcome is not None or subscriber is None:
        return outcome or Outcome.ERASED
    return send_confirmation(config, key, limiter, subscriber, proof.at)


def resend_confirmation(
    sessions: sessionmaker[Session],
    config: SignupConfig,
    key: bytes,
    limiter: RateLimiter,
    email: str,
    now: datetime,
) -> Outcome | None:
    """A fresh confirmation link for an address still pending; None when there is none."""
    address = checked_address(email)
    with sessions() as session:
        subscriber = session.scalar(select(Subscriber).where(Subscriber.email == address))
    if subscriber is None or subscriber.status != "pending" or subscriber.consent_at is None:
        return None
    return send_confirmation(config, key, limiter, subscriber, now)


@dataclass(frozen=True)
class Confirmation:
    """A confirmed subscriber, and whether this request confirmed it (False: already was)."""

    subscriber: Subscriber
    newly: bool


def confirm(session: Session, key: bytes, token: str, *, ip: str, now: datetime) -> Confirmation:
    """Confirm the request a link names; InvalidSigned for a forged, expired or replaced link."""
    payload, _ = unsign(key, CONFIRM_PURPOSE, token, now, max_age_s=CONFIRM_MAX_AGE_S)
    if not (
        isinstance(payload, list) and len(payload) == 2 and all(isinstance(v, int) for v in payload)
    ):
        raise InvalidSigned("this confirmation link does not name a request")
    subscriber = session.get(Subscriber, payload[0])
    if subscriber is None or subscriber.consent_at is None:
        raise InvalidSigned("this confirmation link names no request")
    if int(subscriber.consent_at.timestamp()) != payload[1]:
        raise InvalidSigned("this confirmation link was replaced by a newer one")
    if subscriber.status == "confirmed":
        return Confirmation(subscriber, newly=False)
    if subscriber.status != "pending":
        raise InvalidSigned("this confirmation link can no longer be used")
    subscriber.status = "confirmed"
    subscriber.unsubscribed_at = None
    consent.record_confirmation(subscriber, now, ip)
    record_event(session, "subscriber.confirmed", at=now, subscriber_id=subscriber.id)
    return Confirmation(subscriber, newly=True)


def latest_post_card(session: Session) -> PostCard | None:
    """The newest post with a digest, as a card for the welcome email."""
    post = session.scalar(
        select(Post)
        .where(Post.digest.is_not(None), Post.state != "baseline")
        .order_by(Post.first_seen_at.desc(), Post.id.desc())
        .limit(1)
    ) or session.scalar(
        select(Post).where(Post.digest.is_not(None)).order_by(Post.id.desc()).limit(1)
    )
    if post is None:
        return None
    digest = post.digest or {}
    return PostCard(
        title=digest.get("title") or post.title,
        summary=" ".join((digest.get("summary") or "").split()),
        url=digest.get("url") or post.url,
        image=digest.get("image"),
    )


def send_welcome(
    config: SignupConfig, key: bytes, session: Session, subscriber: Subscriber, now: datetime
) -> bool:
    """Mail the welcome (unless DISTRIBUTOR_WELCOME_EMAIL=false); whether it was sent."""
    if not config.welcome_email:
        return False
    public = config.public_url
    links = WelcomeLinks(
        preferences=preferences_url(public, make_token(key, subscriber.id, None, "preferences")),
        unsubscribe=unsubscribe_url(public, make_token(key, subscriber.id, None, "unsubscribe")),
        archive=f"{public}/archive",
    )
    envelope = Envelope(
        to=subscriber.email,
        language=subscriber.language,
        message_id=message_id_for(f"welcome-{secrets.token_hex(8)}", config.letterhead.from_email),
        now=now,
        key=f"welcome-{subscriber.id}",
    )
    message = render_welcome(
        config.letterhead,
        envelope,
        frequency=subscriber.frequency,
        card=latest_post_card(session),
        links=links,
        dkim=config.dkim,
    )
    return send_email(config, message)
