"""Weekly digest mode: subscribers who chose `weekly` get one email per week listing that
week's new posts, at the weekly slot (DISTRIBUTOR_WEEKLY_SLOT, "Monday 08:00 Europe/Brussels")."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from distributor.model import Digest
from distributor.pipeline.delivery.schedule import parse_slot
from distributor.render.i18n import supported_locale, translations
from distributor.store.tables import Campaign, Post

WEEK = timedelta(days=7)


def latest_slot(slot_text: str, now: datetime) -> datetime:
    """The most recent occurrence of the weekly slot at or before `now`."""
    return parse_slot(slot_text).next_after(now - WEEK + timedelta(microseconds=1))


def week_posts(session: Session, week_end: datetime) -> list[Post]:
    """New posts first seen in the week before `week_end`, oldest first."""
    query = (
        select(Post)
        .where(
            Post.state == "new",
            Post.first_seen_at >= week_end - WEEK,
            Post.first_seen_at < week_end,
        )
        .order_by(Post.first_seen_at, Post.id)
    )
    return list(session.scalars(query))


def plan_weekly(
    sessions: sessionmaker[Session], slot_text: str, language: str, now: datetime
) -> int | None:
    """The weekly digest campaign of the latest slot (once per week; None without new posts)."""
    week_end = latest_slot(slot_text, now)
    with sessions.begin() as session:
        existing = session.scalar(
            select(Campaign.id).where(Campaign.kind == "weekly", Campaign.send_at == week_end)
        )
        if existing is not None or not week_posts(session, week_end):
            return None
        campaign = Campaign(
            kind="weekly",
            state="approved",
            send_at=week_end,
            language=language,
            channels=["email"],
            created_at=now,
            approved_at=now,
        )
        session.add(campaign)
        session.flush()
        return campaign.id


def weekly_digest(posts: list[Post], language: str, site_url: str, week_end: datetime) -> Digest:
    """One Digest listing the week's posts: each title and link becomes a highlight."""
    locale = supported_locale(language, default="en")
    gettext = translations(locale, "delivery").gettext
    digests: list[dict[str, Any]] = [post.digest or {"title": post.title} for post in posts]
    titles = [d.get("title") or post.title for d, post in zip(digests, posts, strict=True)]
    if len(posts) == 1:
        title = gettext("This week on the blog: %(title)s") % {"title": titles[0]}
    else:
        title = gettext("This week on the blog: %(count)d new posts") % {"count": len(posts)}
    links = [d.get("url") or post.url or site_url for d, post in zip(digests, posts, strict=True)]
    return Digest(
        title=title,
        language=locale,
        summary=gettext("What appeared this week") + ": " + " · ".join(titles),
        reading_time=sum(int(d.get("reading_time") or 1) for d in digests),
        word_count=sum(int(d.get("word_count") or 0) for d in digests),
        highlights=tuple(f"{t} {link}" for t, link in zip(titles, links, strict=True)),
        keywords=(),
        hashtags=(),
        image=next((d.get("image") for d in digests if d.get("image")), None),
        url=site_url,
        published=week_end,
        slug=f"week-{week_end:%Y-%m-%d}",
    )
