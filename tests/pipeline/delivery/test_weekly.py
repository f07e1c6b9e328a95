"""Weekly digest mode: one email per week to weekly subscribers, listing that week's posts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes

import pytest
from sqlalchemy import select, update

from distributor.config import Settings
from distributor.pipeline.delivery.schedule import dispatch_due
from distributor.pipeline.delivery.weekly import latest_slot, plan_weekly
from distributor.pipeline.run import TickReport, drain
from distributor.store.db import session_factory
from distributor.store.tables import Delivery, Post
from distributor.wiring import Wiring
from tests.pipeline.delivery_support import add_post, add_subscribers

SLOT = "Monday 08:00 Europe/Brussels"
MONDAY = datetime(2026, 3, 9, 7, 0, tzinfo=UTC)  # 08:00 in Brussels


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


def seen_at(sessions, post_id: int, moment: datetime) -> None:
    with sessions.begin() as session:
        session.execute(update(Post).where(Post.id == post_id).values(first_seen_at=moment))


def test_the_latest_slot_is_the_last_monday_eight_at_or_before_now():
    assert latest_slot(SLOT, MONDAY) == MONDAY
    assert latest_slot(SLOT, MONDAY - timedelta(seconds=1)) == MONDAY - timedelta(days=7)
    assert latest_slot(SLOT, MONDAY + timedelta(days=3)) == MONDAY


def test_weekly_subscribers_get_one_email_listing_the_weeks_posts(sessions, tmp_path):
    add_subscribers(sessions, 3, frequency="weekly", prefix="week")
    add_subscribers(sessions, 2, prefix="direct")
    this_week = [add_post(sessions), add_post(sessions)]
    last_week = add_post(sessions)
    for post_id, days in zip([*this_week, last_week], [2, 5, 9], strict=True):
        seen_at(sessions, post_id, MONDAY - timedelta(days=days))

    campaign = plan_weekly(sessions, SLOT, "nl", MONDAY + timedelta(hours=1))
    assert plan_weekly(sessions, SLOT, "nl", MONDAY + timedelta(hours=2)) is None
    dispatch_due(sessions, MONDAY + timedelta(hours=1))
    settings = Settings(data_dir=tmp_path, email_channel="outbox", secret_key="weekly")
    sender = Wiring(settings).sender(sessions)
    report = drain(sender, TickReport())

    assert campaign is not None and report.sent == 3
    with sessions() as session:
        keys = sorted(session.scalars(select(Delivery.recipient_key)))
    assert keys == [f"week{i:04d}@example.org" for i in range(3)]
    message = message_from_bytes(next((tmp_path / "outbox" / "email").glob("*.eml")).read_bytes())
    assert message["Subject"] == "Deze week op de blog: 2 nieuwe artikels"


def test_a_week_without_new_posts_sends_no_digest(sessions):
    add_subscribers(sessions, 3, frequency="weekly")
    old = add_post(sessions)
    seen_at(sessions, old, MONDAY - timedelta(days=10))
    assert plan_weekly(sessions, SLOT, "nl", MONDAY) is None
