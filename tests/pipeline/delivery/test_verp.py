"""Every email leaves with its own signed VERP return path and a Feedback-ID, and the bounce that
comes back to that address finds its delivery."""

from __future__ import annotations

import re
from email import message_from_bytes

import pytest
from sqlalchemy import select

from distributor.config import Settings
from distributor.pipeline.bounces import import_reports
from distributor.pipeline.delivery.schedule import dispatch_due
from distributor.pipeline.delivery.send import send_batch
from distributor.store.db import session_factory
from distributor.store.tables import Delivery, Subscriber
from distributor.wiring import Wiring
from tests.bounces.samples import sample
from tests.pipeline.delivery_support import NOW, add_campaign, add_post, add_subscribers
from tests.smtpserver import SmtpServer

KEY = "verp-test-key"


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


def test_each_delivery_has_its_own_return_path_and_its_bounce_comes_home(sessions, tmp_path):
    add_subscribers(sessions, 3)
    campaign_id = add_campaign(sessions, add_post(sessions), ["email"])
    dispatch_due(sessions, NOW)
    with SmtpServer() as server:
        settings = Settings(
            data_dir=tmp_path,
            email_channel="smtp",
            allow_http_public_url=True,
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            from_email="nieuws@praktijk.example",
            bounce_address="bounces@praktijk.example",
            secret_key=KEY,
        )
        sender = Wiring(settings).sender(sessions)
        sender.clock = lambda: NOW
        send_batch(sender)
    received = server.handler.received
    assert len(received) == 3
    with sessions() as session:
        ids = {d.recipient_key: d.id for d in session.scalars(select(Delivery))}
    for message in received:
        delivery_id = ids[message.recipients[0]]
        pattern = rf"bounces\+d{delivery_id}-[a-z2-7]{{16}}@praktijk\.example"
        assert re.fullmatch(pattern, message.sender)
        email = message_from_bytes(message.data)
        assert email["Feedback-ID"] == f"c{campaign_id}:newsletter:distributor:praktijk.example"
        assert message.sender.split("+")[1].split("@")[0] in email["Message-ID"]

    bounced = received[1]
    token = bounced.sender.split("+")[1].split("@")[0]
    dsn = sample("postfix_hard.eml").replace(b"d41-6uoxxoitokhyokyc", token.encode())
    tally = import_reports(sessions, [dsn], KEY.encode(), NOW)
    assert tally.counts == {"hard": 1}
    with sessions() as session:
        statuses = dict(session.execute(select(Subscriber.email, Subscriber.status)).all())
    assert statuses[bounced.recipients[0]] == "bounced"
    assert sorted(statuses.values()) == ["bounced", "confirmed", "confirmed"]
