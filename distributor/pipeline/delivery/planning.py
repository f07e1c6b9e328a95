"""Campaigns: one per new post (or weekly digest), planned into one delivery row per
campaign x recipient x channel (unique), streaming recipients from the database in batches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.orm import Session, sessionmaker

from distributor.errors import UserError
from distributor.pipeline.delivery.states import finish, initial_state
from distributor.store.queries import record_event
from distributor.store.tables import DELIVERY_STATES, Campaign, Delivery, Post, Source, Subscriber

OPEN_STATES = ("pending", "claimed", "failed_temporary")
OPEN_CAMPAIGNS = ("draft", "approved", "sending", "paused")


def create_post_campaign(
    session: Session, post_id: int, channels: Sequence[str], send_at: datetime, now: datetime
) -> Campaign:
    """The campaign of a post (created once: a second call returns the first campaign).

    Approved at once when the post's source auto-approves, else a draft awaiting the admin.
    """
    post = session.execute(
        select(Post).where(Post.id == post_id).with_for_update()
    ).scalar_one_or_none()
    if post is None:
        raise UserError(f"there is no post {post_id}", "List posts with `distributor posts list`.")
    existing = session.scalars(
        select(Campaign).where(Campaign.post_id == post_id, Campaign.kind == "post")
    ).first()
    if existing is not None:
        return existing
    source = session.get(Source, post.source_id)
    approved = bool(source and source.auto_approve)
    return new_post_campaign(session, post, channels, send_at, now, approved)


def new_post_campaign(
    session: Session,
    post: Post,
    channels: Sequence[str],
    send_at: datetime | None,
    now: datetime,
    approved: bool = False,
) -> Campaign:
    """Add a campaign for `post`: a draft, or approved to go out at `send_at`."""
    campaign = Campaign(
        post_id=post.id,
        kind="post",
        state=initial_state(approved).value,
        send_at=send_at,
        language=(post.digest or {}).get("language"),
        channels=list(channels),
        created_at=now,
        approved_at=now if approved else None,
    )
    session.add(campaign)
    session.flush()
    return campaign


def plan_post_campaigns(
    sessions: sessionmaker[Session],
    post_ids: Sequence[int],
    channels: Sequence[str],
    send_at: datetime,
    now: datetime,
) -> list[int]:
    """A campaign for each new post among `post_ids` (edits and baselines get none)."""
    created = []
    for post_id in post_ids:
        with sessions.begin() as session:
            state = session.scalar(select(Post.state).where(Post.id == post_id))
            if state != "new":
                continue
            created.append(create_post_campaign(session, post_id, channels, send_at, now).id)
    return created


def posts_awaiting_campaign(session: Session) -> list[int]:
    """New posts that have no campaign yet, whichever poll found them (scheduler or CLI)."""
    has_campaign = (
        select(Campaign.id).where(Campaign.post_id == Post.id, Campaign.kind == "post").exists()
    )
    query = select(Post.id).where(Post.state == "new", ~has_campaign).order_by(Post.id)
    return list(session.scalars(query))


def next_recipients(
    session: Session, frequency: str, after_id: int, batch_size: int, language: str | None = None
) -> list[dict[str, Any]]:
    """The next batch of confirmed subscribers of one frequency with ids above `after_id`;
    for a post in `language`, without those who asked for only posts in their own language."""
    wanted = true()
    if language:
        wanted = or_(Subscriber.only_my_language.is_(False), Subscriber.language == language)
    rows = session.execute(
        select(Subscriber.id, Subscriber.email)
        .where(
            Subscriber.status == "confirmed",
            Subscriber.frequency == frequency,
            Subscriber.id > after_id,
            wanted,
        )
        .order_by(Subscriber.id)
        .limit(batch_size)
    ).all()
    return [{"subscriber_id": row.id, "recipient_key": row.email} for row in rows]


def insert_deliveries(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert delivery rows, ignoring any that already exist (the unique key decides)."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(Delivery).on_conflict_do_nothing(
        index_elements=["campaign_id", "channel", "recipient_key"]
    )
    session.execute(statement, rows)


def plan_deliveries(
    sessions: sessionmaker[Session], campaign_id: int, now: datetime, batch_size: int = 1000
) -> int:
    """Create the delivery rows of a campaign, one transaction per batch; returns rows offered."""
    with sessions() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            return 0
        channels, kind = list(campaign.channels), campaign.kind
        language = campaign.language if kind == "post" else None
    base = {"campaign_id": campaign_id, "state": "pending", "attempts": 0, "next_attempt_at": now}
    base |= {"progress": [], "created_at": now}
    offered = 0
    social = [c for c in channels if c != "email"]
    if social:
        with sessions.begin() as session:
            rows = [
                base | {"channel": c, "recipient_key": c, "subscriber_id": None} for c in social
            ]
            insert_deliveries(session, rows)
            offered += len(rows)
    if "email" in channels:
        frequency = "weekly" if kind == "weekly" else "immediate"
        after_id = 0
        while True:
            with sessions.begin() as session:
                batch = next_recipients(session, frequency, after_id, batch_size, language)
                insert_deliveries(session, [base | {"channel": "email"} | r for r in batch])
            if not batch:
                break
            offered += len(batch)
            after_id = batch[-1]["subscriber_id"]
    return offered


def finish_done_campaigns(sessions: sessionmaker[Session], now: datetime) -> list[int]:
    """Mark sending campaigns with nothing left to try as sent (or failed when none went out)."""
    finished = []
    with sessions.begin() as session:
        sending = list(session.scalars(select(Campaign.id).where(Campaign.state == "sending")))
        for campaign_id in sending:
            if has_open_rows(session, campaign_id):
                continue
            counts = delivery_counts(session, campaign_id)
            any_sent = not all_failed(session, campaign_id, counts)
            state = finish(session, campaign_id, any_sent, now)
            if state is not None:
                record_event(
                    session,
                    f"campaign.{state.value}",
                    at=now,
                    campaign_id=campaign_id,
                    detail=counts,
                )
                finished.append(campaign_id)
    return finished


def all_failed(session: Session, campaign_id: int, counts: dict[str, int]) -> bool:
    """True when nothing went out, or when every email of the campaign failed."""
    if counts["failed_permanent"] and not counts["sent"]:
        return True
    email = delivery_counts(session, campaign_id, "email")
    return bool(email["failed_permanent"] and not email["sent"])


def has_open_rows(session: Session, campaign_id: int) -> bool:
    """Whether any of a campaign's rows may still be sent (found by index, without counting)."""
    query = select(Delivery.id).where(
        Delivery.state.in_(OPEN_STATES), Delivery.campaign_id == campaign_id
    )
    return session.scalar(query.limit(1)) is not None


def delivery_counts(
    session: Session, campaign_id: int, channel: str | None = None
) -> dict[str, int]:
    """How many of a campaign's rows are in each delivery state (optionally for one channel)."""
    where = and_(Delivery.campaign_id == campaign_id)
    if channel is not None:
        where = and_(where, Delivery.channel == channel)
    query = select(Delivery.state, func.count()).where(where).group_by(Delivery.state)
    counts = dict.fromkeys(DELIVERY_STATES, 0)
    counts.update({state: n for state, n in session.execute(query).all()})
    return counts
