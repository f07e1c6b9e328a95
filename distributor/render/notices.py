"""The sign-up emails (pure): the confirmation request and the welcome, in the reader's language.

Short transactional messages built with the standard library's EmailMessage from two small
Jinja2 templates each (templates/notices/NAME.html and .txt, words from the "web" catalogue).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from distributor.model import Message
from distributor.render.dkim_signing import DkimKey, dkim_sign
from distributor.render.i18n import supported_locale, translations
from distributor.render.mime import MimeTemplate, build_template, mailbox, recipient_header, slot
from distributor.render.newsletter import PracticeInfo
from distributor.render.newsletter_templates import templates_directory

NOTICE_DOMAIN = "web"


@dataclass(frozen=True)
class PostCard:
    """The latest post as a welcome email shows it."""

    title: str
    summary: str
    url: str | None
    image: str | None


@dataclass(frozen=True)
class Envelope:
    """Who a notice goes to and the values that make it unique."""

    to: str
    language: str
    message_id: str
    now: datetime
    key: str = ""


@cache
def _environment(folder: Path, locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(folder / "notices"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(locale, NOTICE_DOMAIN), newstyle=True)  # type: ignore[attr-defined]
    return env


def _render(name: str, locale: str, context: dict) -> tuple[str, str, str]:
    env = _environment(templates_directory(), locale)
    subject = env.get_template(f"{name}.subject.txt").render(context).strip()
    text = env.get_template(f"{name}.txt").render(context).strip() + "\n"
    html = env.get_template(f"{name}.html").render(context)
    return subject, text, html


def _message(
    practice: PracticeInfo,
    envelope: Envelope,
    rendered: tuple[str, str, str],
    extra_headers: list[tuple[str, str]],
    dkim: DkimKey | None,
) -> Message:
    subject, text, html = rendered
    email = EmailMessage(policy=policy.SMTP)
    email["Date"] = format_datetime(envelope.now)
    email["From"] = mailbox(practice.name, practice.from_email)
    email["To"] = envelope.to
    email["Subject"] = " ".join(subject.split())
    email["Message-ID"] = envelope.message_id
    if practice.reply_to:
        email["Reply-To"] = practice.reply_to
    email["List-Id"] = list_id(practice)
    for name, value in extra_headers:
        email[name] = value
    email["Content-Language"] = envelope.language
    email.set_content(text)
    email.add_alternative(html, subtype="html")
    raw = email.as_bytes()
    if dkim is not None:
        raw = dkim_sign(raw, dkim)
    return Message(
        sender=practice.from_email,
        to=envelope.to,
        raw=raw,
        message_id=envelope.message_id,
        key=envelope.key,
    )


def list_id(practice: PracticeInfo) -> str:
    """The List-Id (RFC 2919) of the practice's newsletter."""
    domain = practice.from_email.rpartition("@")[2] or "localhost"
    return f"{' '.join(practice.name.split())} <newsletter.{domain}>"


def confirmation_email(
    practice: PracticeInfo, envelope: Envelope, confirm_url: str, dkim: DkimKey | None = None
) -> Message:
    """The email that asks a new subscriber to confirm (double opt-in); no name in it."""
    template = _confirmation_template(practice, supported_locale(envelope.language, "en"))
    raw = template.fill(
        {
            "date": format_datetime(envelope.now),
            "to": recipient_header("", envelope.to),
            "message_id": envelope.message_id,
            "confirm_url": confirm_url,
        }
    )
    if dkim is not None:
        raw = dkim_sign(raw, dkim)
    return Message(
        sender=practice.from_email,
        to=envelope.to,
        raw=raw,
        message_id=envelope.message_id,
        key=envelope.key,
    )


@lru_cache(maxsize=32)
def _confirmation_template(practice: PracticeInfo, locale: str) -> MimeTemplate:
    """The confirmation email of one practice and language, encoded once (slots per person)."""
    context = {"practice": practice, "confirm_url": slot("confirm_url"), "locale": locale}
    subject, text, html = _render("confirm", locale, context)
    headers = [
        ("Date", slot("date")),
        ("From", mailbox(practice.name, practice.from_email)),
        ("To", slot("to")),
        ("Subject", " ".join(subject.split())),
        ("Message-ID", slot("message_id")),
    ]
    if practice.reply_to:
        headers.append(("Reply-To", practice.reply_to))
    headers += [
        ("List-Id", list_id(practice)),
        ("Auto-Submitted", "auto-generated"),
        ("Content-Language", locale),
    ]
    boundary = "=_confirm_" + hashlib.sha256(f"{locale}/{html}".encode()).hexdigest()[:24]
    return build_template(headers, text=text, html=html, boundary=boundary)


@dataclass(frozen=True)
class WelcomeLinks:
    """The personal links of a welcome email, and the public archive."""

    preferences: str
    unsubscribe: str
    archive: str


def welcome_email(
    practice: PracticeInfo,
    envelope: Envelope,
    *,
    frequency: str,
    card: PostCard | None,
    links: WelcomeLinks,
    dkim: DkimKey | None = None,
) -> Message:
    """The welcome after confirmation: who, what and how often, the latest post, the links."""
    locale = supported_locale(envelope.language, "en")
    context = {
        "practice": practice,
        "frequency": frequency,
        "card": card,
        "links": links,
        "locale": locale,
    }
    headers = [
        ("List-Unsubscribe", f"<{links.unsubscribe}>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("List-Archive", f"<{links.archive}>"),
    ]
    return _message(practice, envelope, _render("welcome", locale, context), headers, dkim)
