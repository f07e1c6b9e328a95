"""What a delivery row sends: the campaign's newsletter personalised for one subscriber, or the
campaign's snippet thread for one social platform. Built once per campaign, reused per row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from distributor.config import Settings
from distributor.errors import UserError
from distributor.model import Digest, Message, Recipient, Snippet
from distributor.newsletter_settings import dkim_key_from_settings, practice_from_settings
from distributor.pipeline.claim import Claimed
from distributor.pipeline.weekly import week_posts, weekly_digest
from distributor.render.newsletter import (
    CompiledNewsletter,
    compile_newsletter,
    message_id_for,
    personalise,
)
from distributor.render.snippets import build_snippet, platform_rules
from distributor.store.tables import Campaign, Post, Subscriber
from distributor.tokens import make_token, preferences_url, signing_key, unsubscribe_url


def digest_from_json(data: dict[str, Any]) -> Digest:
    """The Digest stored with a post (Digest.as_json() plus "slug")."""
    published = data.get("published")
    return Digest(
        title=data.get("title", ""),
        language=data.get("language", "nl"),
        summary=data.get("summary", ""),
        reading_time=int(data.get("reading_time", 1)),
        word_count=int(data.get("word_count", 0)),
        highlights=tuple(data.get("highlights", ())),
        keywords=tuple(data.get("keywords", ())),
        hashtags=tuple(data.get("hashtags", ())),
        image=data.get("image"),
        url=data.get("url"),
        published=datetime.fromisoformat(published) if published else None,
        slug=data.get("slug", ""),
    )


def campaign_digest(session: Session, campaign: Campaign, settings: Settings) -> Digest:
    """What a campaign is about: its post's digest, or the week's posts for a weekly digest."""
    if campaign.kind == "weekly" and campaign.send_at is not None:
        posts = week_posts(session, campaign.send_at)
        if posts:
            language = campaign.language or settings.default_language
            return weekly_digest(posts, language, settings.site_url, campaign.send_at)
        raise UserError(f"weekly campaign {campaign.id} has no posts to list")
    post = session.get(Post, campaign.post_id) if campaign.post_id else None
    if post is None or not post.digest:
        raise UserError(f"campaign {campaign.id} has no post digest to send")
    digest = digest_from_json(post.digest)
    return digest if digest.url else replace(digest, url=post.url)


class Composer:
    """Builds the items of one campaign: the newsletter compiled once, personalised per row."""

    def __init__(self, settings: Settings, session: Session, campaign_id: int) -> None:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise UserError(f"there is no campaign {campaign_id}")
        self.settings = settings
        self.campaign_id = campaign_id
        self.digest = campaign_digest(session, campaign, settings)
        self.url = self.digest.url or settings.site_url
        self.language = campaign.language or self.digest.language or settings.default_language
        self.key = signing_key(settings)
        self.dkim = dkim_key_from_settings(settings)
        self.names: dict[int, str] = {}
        self.statuses: dict[int, str] = {}
        self._newsletter: CompiledNewsletter | None = None

    def load(self, session: Session, rows: Sequence[Claimed]) -> None:
        """Fetch names and statuses of the subscribers among `rows` in one query (this batch)."""
        ids = [row.subscriber_id for row in rows if row.subscriber_id is not None]
        self.names, self.statuses = {}, {}
        if ids:
            query = select(Subscriber.id, Subscriber.name, Subscriber.status).where(
                Subscriber.id.in_(ids)
            )
            for sid, name, status in session.execute(query).all():
                self.names[sid], self.statuses[sid] = name, status

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

    def newsletter(self) -> CompiledNewsletter:
        """The campaign's newsletter, compiled on first use."""
        if self._newsletter is None:
            self._newsletter = compile_newsletter(
                self.digest,
                locale=self.language,
                practice=practice_from_settings(self.settings),
                campaign_id=self.campaign_id,
                templates_dir=getattr(self.settings, "templates_dir", None),
            )
        return self._newsletter

    def item(self, row: Claimed, now: datetime) -> Message | Snippet:
        """The email or social thread for one delivery row."""
        key = f"c{self.campaign_id}-{row.channel}-d{row.id}"
        if row.channel != "email":
            rules = platform_rules(self.settings.mastodon_max_chars)
            platform = row.channel if row.channel in rules else "mastodon"
            snippet = build_snippet(self.digest, self.url, rules[platform])
            return replace(snippet, platform=row.channel, key=key, posted=row.progress)
        subscriber_id = row.subscriber_id or 0
        public = self.settings.public_url
        return personalise(
            self.newsletter(),
            Recipient(
                row.recipient_key, self.names.get(subscriber_id, ""), self.language, subscriber_id
            ),
            unsubscribe_url=unsubscribe_url(
                public, make_token(self.key, subscriber_id, self.campaign_id, "unsubscribe")
            ),
            preferences_url=preferences_url(
                public, make_token(self.key, subscriber_id, self.campaign_id, "preferences")
            ),
            message_id=message_id_for(key, self.settings.from_email),
            now=now,
            key=key,
            dkim=self.dkim,
        )
