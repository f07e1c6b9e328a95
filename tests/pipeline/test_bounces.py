"""Bounces and complaints change subscribers by the rules and are recorded on their delivery."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from distributor.bounces.parse import parse_report
from distributor.pipeline.bounces import import_reports, record_report
from distributor.store.db import session_factory
from distributor.store.queries import events
from distributor.store.tables import Delivery, MailFeedback
from tests.bounces.samples import SAMPLE_KEY, sample
from tests.pipeline.bounce_support import sent_campaign, subscriber_of
from tests.pipeline.delivery_support import NOW


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


@pytest.fixture
def campaign_id(sessions):
    return sent_campaign(sessions)


def test_a_hard_bounce_bounces_the_subscriber_at_once_with_the_servers_words(sessions, campaign_id):
    tally = import_reports(sessions, [sample("postfix_hard.eml")], SAMPLE_KEY, NOW)
    assert tally.counts == {"hard": 1}
    with sessions() as session:
        subscriber = subscriber_of(session, 41)
        assert (subscriber.status, subscriber.status_reason) == ("bounced", "hard bounce")
        delivery = session.get(Delivery, 41)
        assert delivery.bounce == "hard"
        assert "5.1.1" in delivery.bounce_detail and "User unknown" in delivery.bounce_detail
        (event,) = events(session, "subscriber.bounced", campaign_id=campaign_id)
        assert event.subscriber_id == subscriber.id


def test_soft_bounces_bounce_the_subscriber_on_the_third_within_thirty_days(sessions, campaign_id):
    soft = parse_report(sample("postfix_soft.eml"), SAMPLE_KEY)
    days = (0, 20, 35, 45)
    statuses = []
    for number, day in enumerate(days):
        with sessions.begin() as session:
            report = replace(soft, report_key=f"soft-{number}")
            assert record_report(session, report, NOW + timedelta(days=day)) == "soft"
            statuses.append(subscriber_of(session, 46).status)
    # day 35 sees two in its window (20, 35); day 45 sees three (20, 35, 45)
    assert statuses == ["confirmed", "confirmed", "confirmed", "bounced"]
    with sessions() as session:
        assert subscriber_of(session, 46).status_reason == "soft bounces"


def test_a_complaint_unsubscribes_with_reason_complaint(sessions, campaign_id):
    tally = import_reports(sessions, [sample("arf_redacted.eml")], SAMPLE_KEY, NOW)
    assert tally.counts == {"complaint": 1}
    with sessions() as session:
        subscriber = subscriber_of(session, 48)
        assert (subscriber.status, subscriber.status_reason) == ("unsubscribed", "complaint")
        assert session.get(Delivery, 48).bounce == "complaint"
        (event,) = events(session, "subscriber.unsubscribed", campaign_id=campaign_id)
        assert event.detail == {"via": "complaint"}


def test_importing_the_same_reports_again_changes_nothing(sessions, campaign_id):
    reports = [sample(name) for name in ("postfix_hard.eml", "gmail_hard.eml", "postfix_soft.eml")]
    assert import_reports(sessions, reports, SAMPLE_KEY, NOW).counts == {"hard": 2, "soft": 1}
    again = import_reports(sessions, reports, SAMPLE_KEY, NOW)
    assert again.counts == {"duplicate": 3}
    with sessions() as session:
        assert session.query(MailFeedback).count() == 3


def test_warnings_forged_tokens_and_other_mail_leave_everyone_alone(sessions, campaign_id):
    reports = [sample("postfix_delayed.eml"), sample("forged_token.eml"), b"Subject: hi\r\n\r\nx"]
    tally = import_reports(sessions, reports, SAMPLE_KEY, NOW)
    assert tally.counts == {"delayed": 1, "not ours": 1, "unknown": 1}
    with sessions() as session:
        assert subscriber_of(session, 41).status == "confirmed"
        assert subscriber_of(session, 47).status == "confirmed"


def test_a_bounce_after_unsubscribing_keeps_the_subscriber_unsubscribed(sessions, campaign_id):
    import_reports(sessions, [sample("arf_redacted.eml")], SAMPLE_KEY, NOW)
    hard_for_48 = replace(parse_report(sample("postfix_hard.eml"), SAMPLE_KEY), delivery_ids=(48,))
    with sessions.begin() as session:
        record_report(session, hard_for_48, NOW)
    with sessions() as session:
        assert subscriber_of(session, 48).status == "unsubscribed"
        assert session.get(Delivery, 48).bounce == "complaint"
