"""What a delivery row sends: the campaign's newsletter personalised for one subscriber, or the
campaign's snippet thread for one social channel. Built once per campaign, reused per row.

The campaign's draft edits (subject, summary, highlights, social texts) are applied here, so
what the admin previewed is what goes out; the post's stored digest stays as extracted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from distributor.click_tokens import link_token, open_token, person_token
from distributor.delivery_tokens import delivery_token, verp_address
from distributor.errors import UserError
from distributor.model import Digest, Message, Recipient, Snippet
from distributor.pipeline.delivery.claim import Claimed
from distributor.pipeline.delivery.weekly import week_entries, week_posts
from distributor.render.dkim_signing import DkimKey
from distributor.render.i18n import supported_locale
from distributor.render.links import post_url
from distributor.render.newsletter import (
    CompiledNewsletter,
    PracticeInfo,
    compile_newsletter,
    message_id_for,
    personalise,
)
from distributor.render.weekly import weekly_digest
from distributor.store.tables import Campaign, Post, Subscriber
from distributor.tokens import (
    make_token,
    open_pixel_url,
    preferences_url,
    tracked_url,
    unsubscribe_url,
)

SnippetMaker = Callable[[Digest, str], Snippet]
TEST_MARK = "[TEST]"


@dataclass(frozen=True)
class ComposeSettings:
    """The plain values composing needs (the wiring makes them from Settings)."""

    letterhead: PracticeInfo  # who sends: practice, address, logo, from, reply-to, site
    signing_key: bytes
    dkim: DkimKey | tuple[DkimKey, ...] | None = None  # RSA, then an optional Ed25519 key
    bounce_address: str | None = None  # bounces@example.be: VERP bounces+<token>@example.be
    track_clicks: bool = False  # links to the post and site through {public}/r/{token}
    track_opens: bool = False  # an aggregate open-count pixel
    templates_dir: Path | None = None
    default_language: str = "nl"
    snippets: Mapping[str, SnippetMaker] = field(default_factory=dict)  # social channel -> maker


def campaign_digest(session: Session, campaign: Campaign, compose: ComposeSettings) -> Digest:
    """What a campaign is about: its post's digest, or the week's posts for a weekly digest."""
    site_url = compose.letterhead.site_url
    if campaign.kind == "weekly" and campaign.send_at is not None:
        posts = week_posts(session, campaign.send_at)
        if posts:
            language = campaign.language or compose.default_language
            return weekly_digest(week_entries(posts), language, site_url, campaign.send_at)
        raise UserError(f"weekly campaign {campaign.id} has no posts to list")
    post = session.get(Post, campaign.post_id) if campaign.post_id else None
    if post is None or not post.digest:
        raise UserError(f"campaign {campaign.id} has no post digest to send")
    digest = Digest.from_json(post.digest)
    return replace(digest, url=post_url(digest.url or post.url, digest.slug, site_url))


def edited(digest: Digest, edits: Mapping[str, Any] | None) -> Digest:
    """The digest with the admin's edits of summary and highlights applied."""
    edits = edits or {}
    if edits.get("summary") is not None:
        digest = replace(digest, summary=edits["summary"])
    if edits.get("highlights") is not None:
        digest = replace(digest, highlights=tuple(edits["highlights"]))
    return digest


class Composer:
    """Builds the items of one campaign: the newsletter compiled once, personalised per row."""

    def __init__(self, compose: ComposeSettings, session: Session, campaign_id: int) -> None:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise UserError(f"there is no campaign {campaign_id}")
        self.compose = compose
        self.campaign_id = campaign_id
        self.edits: dict[str, Any] = dict(campaign.edits or {})
        self.campaign_channels: list[str] = list(campaign.channels)
        self.digest = edited(campaign_digest(session, campaign, compose), self.edits)
        self.url = self.digest.url or compose.letterhead.site_url
        self.language = campaign.language or self.digest.language or compose.default_language
        self.names: dict[int, str] = {}
        self.statuses: dict[int, str] = {}
        self.per_person: set[int] = set()  # opted in to per-person click statistics
        self.languages: dict[int, str] = {}
        self._newsletters: dict[str, CompiledNewsletter] = {}  # by the reader's language

    def load(self, session: Session, rows: Sequence[Claimed]) -> None:
        """Fetch names and statuses of the subscribers among `rows` in one query (this batch)."""
        ids = [row.subscriber_id for row in rows if row.subscriber_id is not None]
        self.names, self.statuses, self.languages, self.per_person = {}, {}, {}, set()
        if ids:
            query = select(
                Subscriber.id,
                Subscriber.name,
                Subscriber.status,
                Subscriber.language,
                Subscriber.per_person_stats,
            ).where(Subscriber.id.in_(ids))
            for sid, name, status, language, per_person in session.execute(query).all():
                self.names[sid], self.statuses[sid] = name, status
                self.languages[sid] = supported_locale(language, self.language)
                if per_person:
                    self.per_person.add(sid)

    def refresh_statuses(self, session: Session, rows: Sequence[Claimed]) -> None:
        """Re-read the statuses of the subscribers among `rows` (one indexed query)."""
        ids = [row.subscriber_id for row in rows if row.subscriber_id is not None]
        if ids:
            query = select(Subscriber.id, Subscriber.status).where(Subscriber.id.in_(ids))
            self.statuses.update({sid: status for sid, status in session.execute(query).all()})

    def skip_reason(self, row: Claimed) -> str | None:
        """Why not to send this row any more (the subscriber left or bounced since planning)."""
        status = self.statuses.get(row.subscriber_id or 0, "confirmed")
        if row.channel == "email" and status != "confirmed":
            return f"not sent: the subscriber is {status} now"
        return None

    def subject(self) -> str:
        """The email's subject: the admin's, else the post's title."""
        return self.edits.get("subject") or self.digest.title

    def newsletter(
        self, language: str | None = None, subject: str | None = None
    ) -> CompiledNewsletter:
        """The campaign's newsletter framed in a reader's language (default: the post's own),
        compiled once per language; a given subject compiles a one-off (tests)."""
        if subject is not None:
            return self._compile(language or self.language, subject)
        language = language or self.language
        if language not in self._newsletters:
            self._newsletters[language] = self._compile(language, self.subject())
        return self._newsletters[language]

    def _compile(self, language: str, subject: str) -> CompiledNewsletter:
        return compile_newsletter(
            self.digest,
            locale=language,
            practice=self.compose.letterhead,
            campaign_id=self.campaign_id,
            templates_dir=self.compose.templates_dir,
            subject=subject,
            track_link=self._track_link if self.compose.track_clicks else None,
            open_pixel=self._open_pixel() if self.compose.track_opens else None,
        )

    def _track_link(self, url: str) -> str:
        token = link_token(self.compose.signing_key, self.campaign_id, url)
        return tracked_url(self.compose.letterhead.public_url, token)

    def _open_pixel(self) -> str:
        token = open_token(self.compose.signing_key, self.campaign_id)
        return open_pixel_url(self.compose.letterhead.public_url, token)

    def _click_person(self, subscriber_id: int | None) -> str:
        if subscriber_id is None or subscriber_id not in self.per_person:
            return ""
        return f"?s={person_token(self.compose.signing_key, subscriber_id, self.campaign_id)}"

    def snippet(self, channel: str) -> Snippet:
        """The channel's thread, with the admin's edited texts when there are any."""
        maker = self.compose.snippets.get(channel)
        if maker is None:
            known = ", ".join(self.compose.snippets) or "none"
            raise UserError(f"no social channel {channel!r} (known: {known})")
        snippet = maker(self.digest, self.url)
        texts = (self.edits.get("social") or {}).get(channel)
        return replace(snippet, texts=tuple(texts)) if texts else snippet

    def item(self, row: Claimed, now: datetime) -> Message | Snippet:
        """The email or social thread for one delivery row."""
        key = f"c{self.campaign_id}-{row.channel}-d{row.id}"
        if row.channel != "email":
            return replace(self.snippet(row.channel), key=key, posted=row.progress)
        subscriber_id = row.subscriber_id or 0
        language = self.languages.get(subscriber_id, self.language)
        recipient = Recipient(
            row.recipient_key, self.names.get(subscriber_id, ""), language, subscriber_id
        )
        return self.email(self.newsletter(language), recipient, key, now, delivery_id=row.id)

    def email(
        self,
        compiled: CompiledNewsletter,
        recipient: Recipient,
        key: str,
        now: datetime,
        delivery_id: int | None = None,
    ) -> Message:
        """The finished email for one recipient, with working unsubscribe and preference links.

        A delivery's email carries its signed token in the Message-ID and, with a bounce
        address, in its VERP return path, so bounces and complaints find it again.
        """
        public = self.compose.letterhead.public_url
        sid, signing = recipient.subscriber_id or 0, self.compose.signing_key
        return_path, message_key = None, key
        if delivery_id is not None:
            token = delivery_token(signing, delivery_id)
            message_key = f"c{self.campaign_id}-email-{token}"
            if self.compose.bounce_address:
                return_path = verp_address(self.compose.bounce_address, token)
        return personalise(
            compiled,
            recipient,
            unsubscribe_url=unsubscribe_url(
                public, make_token(signing, sid, self.campaign_id, "unsubscribe")
            ),
            preferences_url=preferences_url(
                public, make_token(signing, sid, self.campaign_id, "preferences")
            ),
            message_id=message_id_for(message_key, self.compose.letterhead.from_email),
            now=now,
            key=key,
            click_person=self._click_person(recipient.subscriber_id),
            dkim=self.compose.dkim,
            return_path=return_path,
        )

    def test_email(self, address: str, now: datetime, nonce: str) -> Message:
        """A test email of this campaign to `address`, its subject marked TEST."""
        compiled = self.newsletter(self.language, f"{TEST_MARK} {self.subject()}")
        key = f"c{self.campaign_id}-test-{nonce}"
        return self.email(compiled, Recipient(address, "", self.language, None), key, now)

    def test_snippet(self, channel: str, nonce: str) -> Snippet:
        """A test thread of this campaign for `channel`, its first text marked TEST."""
        snippet = self.snippet(channel)
        first = f"{TEST_MARK} {snippet.texts[0]}" if snippet.texts else TEST_MARK
        texts = (first, *snippet.texts[1:])
        return replace(snippet, texts=texts, key=f"c{self.campaign_id}-{channel}-test-{nonce}")
