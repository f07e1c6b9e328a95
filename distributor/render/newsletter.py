"""The newsletter email: compiled once per campaign and locale, personalised per recipient (pure).

`compile_newsletter` fills a Digest into the Jinja2 + MJML template, compiles MJML to HTML once,
renders the plain-text part from its own template and encodes both into a MIME byte template.
`personalise` then costs a few string encodings per recipient: greeting, To, Date, Message-ID and
the signed unsubscribe and preferences URLs the caller made. No settings, no clock, no I/O.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape
from pathlib import Path

from mjml import mjml2html

from distributor.model import Digest, Message, Recipient
from distributor.plain_text import safe_line, without_controls
from distributor.render.archive import archive_path
from distributor.render.dkim_signing import DkimKey, dkim_sign
from distributor.render.i18n import long_date, supported_locale, translations
from distributor.render.links import post_url, tagged_post_link
from distributor.render.mime import (
    MimeTemplate,
    build_template,
    mailbox,
    recipient_header,
    slot,
    slot_mark,
    slot_nonce,
)
from distributor.render.newsletter_templates import environment, templates_directory
from distributor.render.snippets import campaign_slug
from distributor.render.utm import tag_link

BODY_SLOTS = ("greeting", "unsubscribe_url", "preferences_url")
PERSON_SLOT = "click_person"  # after each counted link: "" or "?s=<token>" for opted-in readers
EMAIL_SOURCE = "newsletter"  # utm_source of the email channel's links


@dataclass(frozen=True)
class PracticeInfo:
    """Who sends the newsletter: the practice's name, address, logo, sender and links."""

    name: str
    from_email: str
    address: str = ""
    logo: str | None = None
    reply_to: str | None = None
    site_url: str = ""
    public_url: str = ""
    note: str = ""  # one optional line, e.g. "General advice, not a diagnosis."


@dataclass(frozen=True)
class CompiledNewsletter:
    """One campaign's email in one locale, ready to personalise per recipient."""

    campaign_id: str
    locale: str
    subject: str
    sender: str  # envelope MAIL FROM
    html: str  # compiled HTML with slot markers
    text: str  # plain text with slot markers
    template: MimeTemplate
    greeting_named: str  # "Dag %(name)s,"
    greeting_anonymous: str  # "Dag,"
    nonce: str = ""  # makes this campaign's slot markers (see render.mime.slot)


def compile_newsletter(
    digest: Digest,
    *,
    locale: str,
    practice: PracticeInfo,
    campaign_id: str | int,
    templates_dir: str | Path | None = None,
    subject: str | None = None,
    track_link: Callable[[str], str] | None = None,
    open_pixel: str | None = None,
) -> CompiledNewsletter:
    """Render a digest into the newsletter for one locale: MJML compiled once, MIME encoded once.

    The subject is the digest's title unless the admin wrote one (`subject`). `track_link` turns
    each link to the post and site into a counted one ({public}/r/{token}); `open_pixel` is the
    URL of an aggregate open-count image (off unless given).
    """
    subject = safe_line(subject or digest.title)
    locale = supported_locale(locale, default="en")
    env = environment(templates_directory(templates_dir), locale)
    digest = printable_digest(digest)
    nonce = slot_nonce(repr(digest), repr(practice), str(campaign_id), locale)
    context = _template_context(digest, locale, practice, nonce)
    if track_link is not None:
        for name in ("post_link", "site_link"):
            if context[name]:
                context[name] = track_link(context[name]) + slot(PERSON_SLOT, nonce)
    context["archive_link"] = archive_link(practice, campaign_id, digest)  # no UTM: not content
    mjml_source = env.get_template("newsletter.mjml.j2").render(context)
    html = mjml2html(mjml_source, disable_comments=False, fonts={})
    if open_pixel:
        html = _with_pixel(html, open_pixel)
    text = env.get_template("newsletter.txt.j2").render(context).strip() + "\n"
    template = build_template(
        _headers(subject, locale, practice, str(campaign_id), nonce),
        text=text,
        html=html,
        boundary=_boundary(str(campaign_id), locale, html),
        nonce=nonce,
    )
    gettext = translations(locale).gettext
    compiled = CompiledNewsletter(
        campaign_id=str(campaign_id),
        locale=locale,
        subject=subject,
        sender=practice.from_email,
        html=html,
        text=text,
        template=template,
        greeting_named=gettext("Hello %(name)s,"),
        greeting_anonymous=gettext("Hello,"),
        nonce=nonce,
    )
    _check_parses_back(compiled)
    return compiled


def printable_digest(digest: Digest) -> Digest:
    """The digest without control characters, escapes or bidi overrides (stored ones included)."""
    return replace(
        digest,
        title=safe_line(digest.title),
        summary=without_controls(digest.summary),
        highlights=tuple(without_controls(text) for text in digest.highlights),
        keywords=tuple(safe_line(text) for text in digest.keywords),
        hashtags=tuple(safe_line(text) for text in digest.hashtags),
    )


def personalise(
    compiled: CompiledNewsletter,
    recipient: Recipient,
    *,
    unsubscribe_url: str,
    preferences_url: str,
    message_id: str,
    now: datetime,
    key: str = "",
    click_person: str = "",
    unsubscribe_mailto: str | None = None,
    dkim: DkimKey | tuple[DkimKey, ...] | None = None,
    return_path: str | None = None,
) -> Message:
    """One recipient's finished email: the compiled template with their values filled in."""
    values = recipient_values(compiled, recipient, unsubscribe_url, preferences_url)
    list_unsubscribe = f"<{unsubscribe_url}>"
    if unsubscribe_mailto:
        list_unsubscribe += f", <{unsubscribe_mailto}>"
    values |= {
        "date": format_datetime(now if now.tzinfo else now.replace(tzinfo=UTC)),
        "to": recipient_header(display_name(recipient.name), recipient.email),
        "message_id": message_id,
        "list_unsubscribe": list_unsubscribe,
        PERSON_SLOT: click_person,
    }
    raw = compiled.template.fill(values)
    if dkim:
        raw = dkim_sign(raw, dkim, compiled.template.body_prefix)
    return Message(
        sender=return_path or compiled.sender,
        to=recipient.email,
        raw=raw,
        message_id=message_id,
        key=key,
    )


def recipient_values(
    compiled: CompiledNewsletter, recipient: Recipient, unsubscribe_url: str, preferences_url: str
) -> dict[str, str]:
    """The body values for one recipient: greeting and the two personal links."""
    name = first_name(recipient.name)
    greeting = compiled.greeting_named % {"name": name} if name else compiled.greeting_anonymous
    return {
        "greeting": greeting,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": preferences_url,
        PERSON_SLOT: "",
    }


def first_name(name: str) -> str:
    """The name a greeting uses: the first name ("Marie Lambert" -> "Marie", "Peeters, Ann"
    -> "Ann"); "" when no name is known or it holds no letters."""
    shown = display_name(name)
    if "," in shown:
        shown = shown.split(",", 1)[1].strip()
    first = shown.split(" ", 1)[0] if shown else ""
    return first if any(ch.isalpha() for ch in first) else ""


def display_name(name: str) -> str:
    """A subscriber's name as the email shows it: control characters gone, spaces collapsed."""
    printable = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return " ".join(printable.split())[:200].strip()


def filled_bodies(compiled: CompiledNewsletter, values: dict[str, str]) -> tuple[str, str]:
    """The HTML and text bodies with recipient values in place (for previews and tests)."""
    marker = slot_mark(compiled.nonce)
    html = marker.sub(lambda m: escape(values[m.group(1)]), compiled.html)
    text = marker.sub(lambda m: values[m.group(1)], compiled.text)
    return html, text


def message_id_for(key: str, from_email: str) -> str:
    """A Message-ID unique to one delivery, in the sender's domain: <key@domain>."""
    domain = from_email.rpartition("@")[2] if "@" in from_email else "localhost"
    local = "".join(c if c.isalnum() or c in ".-_" else "-" for c in key) or "message"
    return f"<{local}@{domain}>"


def _with_pixel(html: str, url: str) -> str:
    """The HTML with a 1x1 open-count image just before </body>."""
    image = f'<img src="{escape(url)}" width="1" height="1" alt="" style="display:block;border:0">'
    head, found, tail = html.rpartition("</body>")
    return f"{head}{image}</body>{tail}" if found else html + image


def feedback_id(campaign_id: str, domain: str) -> str:
    """The Feedback-ID header providers' feedback loops group complaints by (Gmail's format)."""
    campaign = "".join(c for c in campaign_id if c.isalnum()) or "0"
    return f"c{campaign}:newsletter:distributor:{domain}"


def decoded_body(part: EmailMessage) -> str:
    """A MIME part's text decoded, with line ends as "\\n" (MIME transports them as CRLF)."""
    return part.get_content().replace("\r\n", "\n")


def archive_link(practice: PracticeInfo, campaign_id: str | int, digest: Digest) -> str:
    """The newsletter's page in the public archive ("view in your browser")."""
    path = archive_path(campaign_id, digest.slug or digest.title)
    return f"{practice.public_url.rstrip('/')}{path}"


def _template_context(digest: Digest, locale: str, practice: PracticeInfo, nonce: str) -> dict:
    campaign = campaign_slug(digest.slug or digest.title)
    link = post_url(digest.url, digest.slug, practice.site_url)
    return {
        "locale": locale,
        "digest": digest,
        "practice": practice,
        "published": long_date(digest.published, locale),
        "post_link": tagged_post_link(link, campaign=campaign, source=EMAIL_SOURCE, medium="email"),
        "site_link": tag_link(practice.site_url, campaign=campaign) if practice.site_url else "",
        "greeting": slot("greeting", nonce),
        "unsubscribe_link": slot(
            "unsubscribe_url", nonce
        ),  # no UTM tags: not the practice's content
        "preferences_link": slot("preferences_url", nonce),
    }


def _headers(
    subject: str, locale: str, practice: PracticeInfo, campaign_id: str, nonce: str
) -> list[tuple[str, str]]:
    domain = practice.from_email.rpartition("@")[2] or "localhost"
    headers = [
        ("Date", slot("date", nonce)),
        ("From", mailbox(practice.name, practice.from_email)),
        ("To", slot("to", nonce)),
        ("Subject", subject),
        ("Message-ID", slot("message_id", nonce)),
    ]
    if practice.reply_to:
        headers.append(("Reply-To", practice.reply_to))
    headers += [
        ("List-Id", f"{' '.join(practice.name.split())} <newsletter.{domain}>"),
        ("List-Archive", f"<{practice.public_url.rstrip('/')}/archive>"),
        ("List-Unsubscribe", slot("list_unsubscribe", nonce)),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("Content-Language", locale),
        ("Feedback-ID", feedback_id(campaign_id, domain)),
        ("X-Distributor-Campaign", campaign_id),
    ]
    return headers


def _boundary(campaign_id: str, locale: str, html: str) -> str:
    digest = hashlib.sha256(f"{campaign_id}/{locale}/{html}".encode()).hexdigest()[:24]
    return f"=_distributor_{digest}"


def _check_parses_back(compiled: CompiledNewsletter) -> None:
    """Fill the template once with sample values and prove the MIME decodes to the bodies."""
    sample = {name: f"sample-{name}" for name in compiled.template.slot_names}
    sample |= {"date": "Thu, 01 Jan 2026 00:00:00 +0000", "to": "reader@example.org"}
    sample |= {"message_id": "<sample@example.org>", "list_unsubscribe": "<https://x/u/t>"}
    parsed = message_from_bytes(compiled.template.fill(sample), policy=policy.default)
    bodies = {part.get_content_type(): decoded_body(part) for part in parsed.iter_parts()}
    html, text = filled_bodies(compiled, sample)
    if bodies.get("text/html") != html or bodies.get("text/plain") != text:
        raise AssertionError("the compiled MIME template does not decode back to its bodies")
