"""Previews: a campaign's email exactly as it will be sent, per language, and each social
thread with its length against the platform's limit; also the email of a post not yet recorded.

Preview links are never valid: they are signed with a throwaway key, so nobody can be
unsubscribed by a forwarded preview.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from distributor.model import Digest, Recipient
from distributor.pipeline.delivery.compose import Composer, ComposeSettings
from distributor.render.i18n import SUPPORTED_LOCALES
from distributor.render.newsletter import (
    CompiledNewsletter,
    compile_newsletter,
    filled_bodies,
    message_id_for,
    personalise,
    recipient_values,
)
from distributor.render.snippets import PlatformRules
from distributor.tokens import make_token, preferences_url, unsubscribe_url

SAMPLE_READER = Recipient(email="ann.peeters@example.org", name="Ann Peeters", subscriber_id=1)


@dataclass(frozen=True)
class EmailPreview:
    """One language's email: subject, the HTML and text bodies, and the complete message."""

    language: str
    subject: str
    html: str
    text: str
    eml: bytes


@dataclass(frozen=True)
class PostPreview:
    """One social post of a thread and its length as the platform counts it."""

    text: str
    count: int
    limit: int | None  # None: the channel has no length limit (webhook)

    @property
    def fits(self) -> bool:
        """Whether the text is within the platform's limit."""
        return self.limit is None or self.count <= self.limit


@dataclass(frozen=True)
class CampaignPreview:
    """A campaign's emails per language and its threads per social channel."""

    campaign_id: int
    emails: list[EmailPreview]
    social: dict[str, list[PostPreview]]


def throwaway(compose: ComposeSettings) -> ComposeSettings:
    """The compose settings with a random signing key: preview links never work."""
    return replace(compose, signing_key=secrets.token_bytes(32))


def sample_email(
    compiled: CompiledNewsletter, compose: ComposeSettings, campaign: int | str, now: datetime
) -> EmailPreview:
    """The compiled newsletter personalised for the sample reader, with both bodies."""
    key = compose.signing_key
    links = {
        "unsubscribe_url": unsubscribe_url(
            compose.letterhead.public_url, make_token(key, 1, campaign, "unsubscribe")
        ),
        "preferences_url": preferences_url(
            compose.letterhead.public_url, make_token(key, 1, campaign, "preferences")
        ),
    }
    message = personalise(
        compiled,
        SAMPLE_READER,
        **links,
        message_id=message_id_for("preview", compose.letterhead.from_email),
        now=now,
        key="preview",
        dkim=compose.dkim,
    )
    html, text = filled_bodies(compiled, recipient_values(compiled, SAMPLE_READER, **links))
    return EmailPreview(compiled.locale, compiled.subject, html, text, message.raw)


def preview_post_email(
    compose: ComposeSettings, digest: Digest, language: str, now: datetime
) -> EmailPreview:
    """The email a post (not recorded yet) would become, for the sample reader."""
    compose = throwaway(compose)
    compiled = compile_newsletter(
        digest,
        locale=language,
        practice=compose.letterhead,
        campaign_id="preview",
        templates_dir=compose.templates_dir,
    )
    return sample_email(compiled, compose, "preview", now)


def preview_campaign(
    session: Session,
    compose: ComposeSettings,
    rules: Mapping[str, PlatformRules | None],
    campaign_id: int,
    now: datetime,
    languages: Sequence[str] = SUPPORTED_LOCALES,
) -> CampaignPreview:
    """The campaign's email in each language and each social thread, edits applied."""
    compose = throwaway(compose)
    composer = Composer(compose, session, campaign_id)
    emails = [
        sample_email(composer.newsletter(language, composer.subject()), compose, campaign_id, now)
        for language in languages
    ]
    social = {}
    for channel in composer.campaign_channels:
        if channel == "email":
            continue
        rule = rules.get(channel)
        snippet = composer.snippet(channel)
        social[channel] = [
            PostPreview(text, rule.count(text) if rule else len(text), rule.limit if rule else None)
            for text in snippet.texts
        ]
    return CampaignPreview(campaign_id, emails, social)
