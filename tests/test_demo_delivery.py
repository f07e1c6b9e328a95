"""The demo's delivery half: every demo post becomes a campaign sent to every demo subscriber's
outbox and to each social outbox, and the emails open as proper messages."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from distributor.channels import social_channel_names
from distributor.demo_delivery import FRENCH_READER, run_delivery_demo

SOCIAL = social_channel_names()

REPO = Path(__file__).resolve().parents[1]


def test_the_demo_sends_each_post_to_each_subscriber_and_social_outbox(tmp_path, monkeypatch):
    monkeypatch.delenv("DISTRIBUTOR_CAMPAIGN_CHANNELS", raising=False)
    result = run_delivery_demo(REPO / "demo" / "posts", REPO / "demo" / "subscribers.csv", tmp_path)

    posts = len([p for p in (REPO / "demo" / "posts").iterdir() if not p.name.startswith(".")])
    assert (result.subscribers, result.campaigns, result.failed) == (5, posts, 0)
    assert result.sent == posts * (5 + len(SOCIAL))
    emails = sorted(result.email_dir.glob("*.eml"))
    assert len(emails) == posts * 5
    message = message_from_bytes(emails[0].read_bytes())
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert {p.name.split("-")[1] for p in result.social_dir.glob("*.json")} == set(SOCIAL)

    french = message_from_bytes(result.email_to(FRENCH_READER).read_bytes(), policy=policy.default)
    text = french.get_body(("plain",)).get_content()
    assert "Bonjour Camille," in text and "Se désabonner" in text
