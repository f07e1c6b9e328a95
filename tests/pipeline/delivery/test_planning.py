"""Campaigns: created once per new post, planned into unique delivery rows, dispatched when due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from distributor.errors import UserError
from distributor.pipeline.delivery.planning import plan_deliveries, plan_post_campaigns
from distributor.pipeline.delivery.progress import channel_progress
from distributor.pipeline.delivery.schedule import dispatch_due, parse_slot, send_time
from distributor.pipeline.delivery.states import approve
from distributor.pipeline.run import Schedule, plan_new_posts
from distributor.store.db import session_factory
from distributor.store.tables import Campaign, Delivery, Subscriber
from tests.pipeline.delivery_support import (
    NOW,
    add_campaign,
    add_post,
    add_subscribers,
)


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


def count_rows(sessions, **where) -> int:
    with sessions() as session:
        query = select(func.count()).select_from(Delivery).filter_by(**where)
        return session.scalar(query)


def test_a_campaign_plans_one_row_per_confirmed_subscriber_and_social_channel(sessions):
    add_subscribers(sessions, 30)
    add_subscribers(sessions, 3, status="unsubscribed", prefix="weg")
    add_subscribers(sessions, 2, status="pending", prefix="wacht")
    add_subscribers(sessions, 4, frequency="weekly", prefix="week")
    campaign_id = add_campaign(sessions, add_post(sessions), ["email", "mastodon", "x"])

    plan_deliveries(sessions, campaign_id, NOW, batch_size=7)

    assert count_rows(sessions, channel="email") == 30
    assert count_rows(sessions, channel="mastodon") == 1
    assert count_rows(sessions, channel="x") == 1
    with sessions() as session:
        assert channel_progress(session, campaign_id)["email"] == {
            "pending": 30,
            "claimed": 0,
            "sent": 0,
            "failed": 0,
        }


def test_planning_a_campaign_twice_creates_no_second_row(sessions):
    add_subscribers(sessions, 25)
    campaign_id = add_campaign(sessions, add_post(sessions), ["email", "webhook"])

    plan_deliveries(sessions, campaign_id, NOW, batch_size=10)
    plan_deliveries(sessions, campaign_id, NOW, batch_size=4)

    assert count_rows(sessions, campaign_id=campaign_id) == 26


def test_a_new_post_gets_one_campaign_approved_only_when_its_source_auto_approves(sessions):
    manual, auto = add_post(sessions), add_post(sessions, auto_approve=True)
    edited = add_post(sessions, state="edited")

    first = plan_post_campaigns(sessions, [manual, auto, edited], ["email"], NOW, NOW)
    again = plan_post_campaigns(sessions, [manual, auto], ["email"], NOW, NOW)

    assert len(first) == 2
    assert again == first
    with sessions() as session:
        states = dict(session.execute(select(Campaign.post_id, Campaign.state)).all())
    assert states == {manual: "draft", auto: "approved"}


def test_a_new_post_found_outside_the_scheduler_still_gets_its_campaign(sessions):
    # Found by `distributor poll`, or by a tick that crashed between polling and planning.
    found_earlier = add_post(sessions)
    add_post(sessions, state="baseline")
    add_post(sessions, state="edited")
    settings = Schedule(channels=("email",), send_slot="")

    planned = plan_new_posts(sessions, settings, NOW)
    planned_again = plan_new_posts(sessions, settings, NOW)

    with sessions() as session:
        (campaign,) = session.scalars(select(Campaign)).all()
    assert planned == [campaign.id]
    assert campaign.post_id == found_earlier
    assert planned_again == []


def test_dispatch_starts_only_campaigns_whose_time_has_come(sessions):
    add_subscribers(sessions, 5)
    post = add_post(sessions)
    due = add_campaign(sessions, post, ["email"], send_at=NOW - timedelta(minutes=1))
    later = add_campaign(sessions, post, ["email"], send_at=NOW + timedelta(hours=1))
    draft = add_campaign(sessions, post, ["email"], state="draft", send_at=NOW)

    assert dispatch_due(sessions, NOW) == [due]

    with sessions() as session:
        states = dict(session.execute(select(Campaign.id, Campaign.state)).all())
    assert states == {due: "sending", later: "approved", draft: "draft"}
    assert count_rows(sessions, campaign_id=due) == 5
    assert count_rows(sessions, campaign_id=later) == 0


def test_a_campaign_with_no_recipients_finishes_as_sent(sessions):
    campaign = add_campaign(sessions, add_post(sessions), ["email"])

    dispatch_due(sessions, NOW)

    with sessions() as session:
        assert session.get(Campaign, campaign).state == "sent"


def test_approving_a_draft_sets_its_send_time_and_a_sent_campaign_refuses(sessions):
    post = add_post(sessions)
    draft = add_campaign(sessions, post, ["email"], state="draft")
    done = add_campaign(sessions, post, ["email"], state="sent")
    at = NOW + timedelta(days=1)

    with sessions.begin() as session:
        approve(session, draft, at, NOW)
    with sessions() as session:
        campaign = session.get(Campaign, draft)
        assert (campaign.state, campaign.send_at) == ("approved", at)
        with pytest.raises(UserError, match="already sent"):
            approve(session, done, at, NOW)


def test_weekly_slot_is_the_next_tuesday_eight_in_brussels_across_daylight_saving():
    slot = parse_slot("Tuesday 08:00 Europe/Brussels")
    monday_winter = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    tuesday_after_eight = datetime(2026, 3, 24, 7, 30, tzinfo=UTC)  # 08:30 in Brussels (CET)

    assert slot.next_after(monday_winter) == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    assert slot.next_after(tuesday_after_eight) == datetime(2026, 3, 31, 6, 0, tzinfo=UTC)
    assert parse_slot("dinsdag 08:00 Europe/Brussels") == slot


def test_send_time_prefers_the_admins_time_then_the_slot_then_now():
    at = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
    assert send_time(NOW, "Friday 09:00 Europe/Brussels", at) == at
    assert send_time(NOW, "Friday 09:00 Europe/Brussels") == datetime(2026, 3, 6, 8, 0, tzinfo=UTC)
    assert send_time(NOW) == NOW


@pytest.mark.parametrize(
    "text",
    ["Tuesday", "Funday 08:00 Europe/Brussels", "Tuesday 25:00 UTC", "Tuesday 08:00 Mars/Base"],
)
def test_a_bad_weekly_slot_is_refused_with_an_example(text):
    with pytest.raises(UserError) as caught:
        parse_slot(text)
    assert "Tuesday 08:00 Europe/Brussels" in caught.value.hint


def test_only_posts_in_my_language_skips_a_post_in_another_language(sessions):
    # A Dutch post (the sample digest's language) goes to everyone except the French reader who
    # asked for only posts in their own language; the default (off) gets every post.
    with sessions.begin() as session:
        session.add_all(
            [
                Subscriber(email="nl@example.org", language="nl", status="confirmed"),
                Subscriber(email="fr@example.org", language="fr", status="confirmed"),
                Subscriber(
                    email="fr-only@example.org",
                    language="fr",
                    status="confirmed",
                    only_my_language=True,
                ),
                Subscriber(
                    email="nl-only@example.org",
                    language="nl",
                    status="confirmed",
                    only_my_language=True,
                ),
            ]
        )
    campaign_id = add_campaign(sessions, add_post(sessions), ["email"])
    plan_deliveries(sessions, campaign_id, NOW)
    with sessions() as session:
        recipients = set(session.scalars(select(Delivery.recipient_key)))
    assert recipients == {"nl@example.org", "fr@example.org", "nl-only@example.org"}
