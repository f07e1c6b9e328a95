"""Item 5: content is never read as a template slot; a campaign whose emails all failed is not
"sent". Real delivery pipeline, real SMTP server on loopback."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from distributor.store.db import session_factory
from tests.pipeline.delivery_support import SmtpCatcher
from tests.security.delivery_setup import (
    campaign_for,
    campaign_state,
    send_everything,
    smtp_sender,
)
from tests.smtpserver import SmtpServer


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


def test_a_title_made_of_slot_markers_stays_text(sessions, tmp_path):
    title = "@@slot:to@@"
    summary = "Ook @@slot:greeting@@ en @@slot:nothing_like_this@@ blijven gewoon tekst."
    with SmtpServer() as server:
        campaign_id = campaign_for(sessions, 3, ["email"], title=title, summary=summary)
        send_everything(smtp_sender(sessions, server.port, tmp_path))
    received = server.handler.received
    assert len(received) == 3
    for message in received:
        parsed = message_from_bytes(message.data, policy=policy.default)
        assert parsed["Subject"] == title
        assert parsed["To"].addresses[0].addr_spec == message.recipients[0]
        text = parsed.get_body(("plain",)).get_content()
        assert "@@slot:nothing_like_this@@" in text
    assert campaign_state(sessions, campaign_id) == "sent"


def test_a_campaign_whose_every_email_failed_is_not_sent_even_if_a_social_post_went_out(
    sessions, tmp_path
):
    catcher = SmtpCatcher().start()
    try:
        campaign_id = campaign_for(sessions, 3, ["email", "mastodon"])
        catcher.replies = {f"lezer{i:04d}@example.org": "550 5.7.1 refused" for i in range(3)}
        send_everything(smtp_sender(sessions, catcher.port, tmp_path))
    finally:
        catcher.stop()
    assert catcher.received == []
    assert list((tmp_path / "outbox").rglob("*.json"))  # the Mastodon post did go out
    assert campaign_state(sessions, campaign_id) == "failed"
