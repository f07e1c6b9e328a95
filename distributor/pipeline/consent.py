"""Proof of consent (art. XII.13 Belgian Code of Economic Law; GDPR art. 7(1)): what a person
agreed to, when, from where and how, and when they confirmed it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from distributor.render.i18n import supported_locale
from distributor.store.tables import Subscriber

DEFAULT_CONSENT_TEXT = {
    "nl": (
        "Ja, ik wil de nieuwsbrief van {practice} per e-mail ontvangen. Ik kan me op elk moment "
        "met één klik uitschrijven; mijn gegevens worden voor niets anders gebruikt."
    ),
    "en": (
        "Yes, I want to receive the newsletter of {practice} by email. I can unsubscribe at any "
        "time with one click; my details are used for nothing else."
    ),
    "fr": (
        "Oui, je souhaite recevoir la newsletter de {practice} par e-mail. Je peux me désinscrire "
        "à tout moment en un clic ; mes données ne servent à rien d'autre."
    ),
}


@dataclass(frozen=True)
class ConsentText:
    """The words a person agrees to, in one language, with the version that names them."""

    language: str
    text: str
    version: str


@dataclass(frozen=True)
class ConsentProof:
    """How a sign-up was asked for: when, from which address and browser, on which form."""

    at: datetime
    ip: str
    user_agent: str
    form_url: str
    text: ConsentText


def consent_text(texts: Mapping[str, str], language: str, default_language: str) -> ConsentText:
    """The practice's consent text in a language, named by a version (a hash of its words)."""
    locale = supported_locale(language, default_language)
    text = texts[locale]
    version = f"{locale}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"
    return ConsentText(language=locale, text=text, version=version)


def record_request(subscriber: Subscriber, proof: ConsentProof) -> None:
    """Keep the proof of a sign-up request on the subscriber (replacing an older request)."""
    subscriber.consent_at = proof.at
    subscriber.consent_ip = proof.ip[:64]
    subscriber.consent_user_agent = proof.user_agent[:500]
    subscriber.consent_form_url = proof.form_url[:2000]
    subscriber.consent_text_version = proof.text.version
    subscriber.consent_language = proof.text.language
    subscriber.consent_source = "web sign-up form"
    subscriber.confirmed_at = None
    subscriber.confirmed_ip = None


def record_confirmation(subscriber: Subscriber, at: datetime, ip: str) -> None:
    """Keep when and from where the confirmation link was used."""
    subscriber.confirmed_at = at
    subscriber.confirmed_ip = ip[:64]


def consent_record(subscriber: Subscriber) -> dict[str, Any]:
    """The consent record as the subscriber's export shows it."""
    return {
        "source": subscriber.consent_source,
        "consent_at": _iso(subscriber.consent_at),
        "ip": subscriber.consent_ip,
        "user_agent": subscriber.consent_user_agent,
        "form_url": subscriber.consent_form_url,
        "text_version": subscriber.consent_text_version,
        "text_language": subscriber.consent_language,
        "confirmed_at": _iso(subscriber.confirmed_at),
        "confirmed_ip": subscriber.confirmed_ip,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
