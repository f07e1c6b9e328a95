"""Weekly digest mode: subscribers who chose `weekly` get one email per week listing that
week's new posts, at the weekly slot (DISTRIBUTOR_WEEKLY_SLOT, "Monday 08:00 Europe/Brussels")."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from distributor.pipeline.delivery.schedule import parse_slot
from distributor.pipeline.delivery.states import initial_state
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
            state=initial_state(auto_approve=True).value,
            send_at=week_end,
            language=language,
            channels=["email"],
            created_at=now,
            approved_at=now,
        )
        session.add(campaign)
        session.flush()
        return campaign.id


def week_entries(posts: list[Post]) -> list[dict[str, Any]]:
    """The week's posts as the weekly digest lists them: stored digest, title and link."""
    entries = []
    for post in posts:
        entry = dict(post.digest or {})
        entry["title"] = entry.get("title") or post.title
        entry["url"] = entry.get("url") or post.url
        entries.append(entry)
    return entries
