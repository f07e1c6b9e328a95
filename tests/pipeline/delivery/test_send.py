"""Sending batches through a real SMTP server: each subscriber exactly one message, failures
retried or recorded, a hard bounce suppresses the address, a failing campaign pauses itself."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from email import message_from_bytes

import pytest
from sqlalchemy import select

from distributor.channels.outbox import EmailOutbox
from distributor.config import Settings
from distributor.pipeline.delivery.schedule import dispatch_due
from distributor.pipeline.delivery.send import send_batch
from distributor.retry import RetryPolicy
from distributor.store.db import session_factory
from distributor.store.queries import events
from distributor.store.tables import Campaign, Delivery, Subscriber
from distributor.wiring import Wiring
from tests.pipeline.delivery_support import (
    NOW,
    SmtpCatcher,
    add_campaign,
    add_post,
    add_subscribers,
)


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


@pytest.fixture
def smtp():
    catcher = SmtpCatcher().start()
    yield catcher
    catcher.stop()


@pytest.fixture
def sender(sessions, smtp, tmp_path):
    settings = Settings(
        data_dir=tmp_path,
        email_channel="smtp",
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        from_email="nieuws@praktijk.example",
        allow_http_public_url=True,
    )
    made = Wiring(settings).sender(sessions)
    made.clock = lambda: NOW
    made.batch_size = 40
    made.policy = RetryPolicy(base_s=1, cap_s=2, max_attempts=2, pause_after=5)
    return made


def campaign_to(sessions, count: int) -> int:
    add_subscribers(sessions, count)
    campaign_id = add_campaign(sessions, add_post(sessions), ["email"])
    dispatch_due(sessions, NOW)
    return campaign_id


def states(sessions) -> Counter:
    with sessions() as session:
        return Counter(session.scalars(select(Delivery.state)))


def campaign_state(sessions, campaign_id: int) -> Campaign:
    with sessions() as session:
        return session.get(Campaign, campaign_id)


def test_every_subscriber_gets_exactly_one_personal_message(sessions, sender, smtp):
    campaign_id = campaign_to(sessions, 100)

    while send_batch(sender).claimed:
        pass

    ids = smtp.message_ids()
    assert len(ids) == len(set(ids)) == 100
    assert {rcpt for _, _, rcpt in smtp.received} == {
        f"lezer{i:04d}@example.org" for i in range(100)
    }
    assert states(sessions) == {"sent": 100}
    assert campaign_state(sessions, campaign_id).state == "sent"
    with sessions() as session:
        (event,) = events(session, "campaign.sent", campaign_id=campaign_id)
    assert event.detail["sent"] == 100


def test_the_message_is_the_compiled_newsletter_with_an_unsubscribe_link(sessions, sender, smtp):
    campaign_to(sessions, 1)
    send_batch(sender)
    with sessions() as session:
        message_id = session.scalar(select(Delivery.id))
    (sent_id,) = smtp.message_ids()
    assert re.fullmatch(rf"<c1-email-d{message_id}-[a-z2-7]{{16}}@praktijk\.example>", sent_id)


def test_a_bounce_suppresses_the_address_and_a_busy_mailbox_is_retried(sessions, sender, smtp):
    campaign_id = campaign_to(sessions, 10)
    smtp.replies["lezer0003@example.org"] = "550 5.1.1 no such user"
    smtp.replies["lezer0005@example.org"] = "452 4.2.2 mailbox full"

    send_batch(sender)
    assert states(sessions) == {"sent": 8, "failed_permanent": 1, "failed_temporary": 1}
    with sessions() as session:
        bounced = session.scalars(select(Subscriber.email).where(Subscriber.status == "bounced"))
        assert list(bounced) == ["lezer0003@example.org"]

    sender.clock = lambda: NOW + timedelta(seconds=3)
    send_batch(sender)
    assert states(sessions) == {"sent": 8, "failed_permanent": 2}
    assert campaign_state(sessions, campaign_id).state == "sent"
    with sessions() as session:
        errors = sorted(session.scalars(select(Delivery.error).where(Delivery.error.is_not(None))))
    assert errors[0].startswith("550 5.1.1 no such user")
    assert errors[1].startswith("gave up after 2 attempts: 452 4.2.2 mailbox full")


def test_a_server_that_is_down_ends_the_batch_and_nothing_is_lost(sessions, sender, smtp):
    campaign_to(sessions, 30)
    smtp.stop()

    report = send_batch(sender)

    assert (report.retrying, report.released) == (3, 27)
    smtp.start()
    sender.clock = lambda: NOW + timedelta(seconds=3)
    while send_batch(sender).claimed:
        pass
    assert len(set(smtp.message_ids())) == len(smtp.message_ids()) == 30
    assert states(sessions) == {"sent": 30}


def test_a_campaign_pauses_itself_after_too_many_consecutive_failures(sessions, sender, smtp):
    campaign_id = campaign_to(sessions, 30)
    for i in range(30):
        smtp.replies[f"lezer{i:04d}@example.org"] = "554 5.7.1 relay access denied"

    report = send_batch(sender)

    campaign = campaign_state(sessions, campaign_id)
    assert campaign.state == "paused"
    assert "5 consecutive failed deliveries" in campaign.paused_reason
    assert "554 5.7.1 relay access denied" in campaign.paused_reason
    assert report.failed + report.released == 30
    assert states(sessions)["pending"] == report.released > 0
    with sessions() as session:
        assert session.scalar(select(Subscriber.status).distinct()) == "confirmed"
        (event,) = events(session, "campaign.paused", campaign_id=campaign_id)
    assert event.detail["reason"] == campaign.paused_reason
    assert event.at == NOW  # the sender's clock, not the wall clock (a defect before)


def test_every_message_parses_back_with_the_subscribers_name(sessions, sender, smtp, tmp_path):
    campaign_to(sessions, 2)
    sender.open_channel = lambda name: EmailOutbox(tmp_path / "outbox")
    send_batch(sender)
    files = sorted((tmp_path / "outbox" / "email").glob("*.eml"))
    assert len(files) == 2
    message = message_from_bytes(files[0].read_bytes())
    assert message["To"].endswith("<lezer0000@example.org>")
    assert "Lezer 0" in message["To"]


def test_who_unsubscribes_after_planning_gets_nothing(sessions, sender, smtp):
    campaign_id = campaign_to(sessions, 5)
    with sessions.begin() as session:
        leaver = session.scalar(
            select(Subscriber).where(Subscriber.email == "lezer0002@example.org")
        )
        leaver.status = "unsubscribed"

    send_batch(sender)

    assert "lezer0002@example.org" not in {rcpt for _, _, rcpt in smtp.received}
    assert len(smtp.received) == 4
    with sessions() as session:
        error = session.scalar(select(Delivery.error).where(Delivery.state == "failed_permanent"))
        assert error == "not sent: the subscriber is unsubscribed now"
        assert session.get(Campaign, campaign_id).consecutive_failures == 0
