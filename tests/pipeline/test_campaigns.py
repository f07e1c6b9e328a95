"""Admin actions on campaigns as plain functions: create, edit, send, cancel, retry, test, show."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from distributor.config import Settings
from distributor.errors import UserError
from distributor.pipeline import campaigns as actions
from distributor.pipeline.delivery.states import IllegalTransition
from distributor.pipeline.preview import preview_campaign
from distributor.store.db import session_factory
from distributor.store.tables import Campaign, Delivery
from distributor.wiring import Wiring
from tests.pipeline.delivery_support import NOW, add_campaign, add_post, add_subscribers


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


@pytest.fixture
def wiring(tmp_path: Path) -> Wiring:
    """The embedded default: email and social to the outbox in a fresh data folder."""
    settings = Settings(
        data_dir=tmp_path / "data",
        campaign_channels="email,mastodon,webhook",
        secret_key="campaign-tests",
    )
    return Wiring(settings)


def deliveries(sessions, campaign_id: int) -> int:
    with sessions() as session:
        query = select(func.count()).where(Delivery.campaign_id == campaign_id)
        return session.scalar(query.select_from(Delivery))


def emails(wiring: Wiring) -> list:
    folder = wiring.settings.outbox_dir / "email"
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def test_a_baseline_post_can_get_a_draft_campaign(sessions, wiring):
    post = add_post(sessions, state="baseline")
    with sessions.begin() as session:
        campaign = actions.create_campaign(session, post, wiring.channels, NOW)
        made = (campaign.id, campaign.state, campaign.channels)
    assert made[1:] == ("draft", ["email", "mastodon", "webhook"])


def test_a_post_with_an_open_campaign_does_not_get_a_second_one(sessions, wiring):
    post = add_post(sessions)
    open_one = add_campaign(sessions, post, ["email"], state="approved")
    with sessions.begin() as session, pytest.raises(UserError, match=f"campaign {open_one}"):
        actions.create_campaign(session, post, wiring.channels, NOW)


def test_the_edited_draft_is_what_gets_sent_and_the_digest_stays_as_extracted(sessions, wiring):
    add_subscribers(sessions, 2)
    post = add_post(sessions)
    campaign = add_campaign(sessions, post, ["email", "mastodon"], state="draft")
    with sessions.begin() as session:
        actions.edit_draft(
            session,
            campaign,
            subject="Rugpijn? Lees dit eerst",
            summary="Kort en bondig.",
            highlights=["Eén tip die telt."],
            social={"mastodon": ["Eigen tekst voor Mastodon"]},
        )

    actions.send_now(sessions, campaign, NOW, wiring.start_send())

    sent = emails(wiring)
    assert [m["Subject"] for m in sent] == ["Rugpijn? Lees dit eerst"] * 2
    body = sent[0].get_body(("plain",)).get_content()
    assert "Kort en bondig." in body and "Eén tip die telt." in body
    assert "Blijf in beweging." not in body
    [status] = (wiring.settings.outbox_dir / "social").glob("*mastodon*.json")
    assert "Eigen tekst voor Mastodon" in status.read_text(encoding="utf-8")
    with sessions() as session:
        stored = session.get(Campaign, campaign)
        assert stored.edits["subject"] == "Rugpijn? Lees dit eerst"
        assert session.scalar(select(Campaign.post_id).where(Campaign.id == campaign)) == post


def test_only_a_draft_can_be_edited(sessions):
    campaign = add_campaign(sessions, add_post(sessions), ["email"], state="approved")
    with sessions.begin() as session, pytest.raises(IllegalTransition, match="only a draft"):
        actions.edit_draft(session, campaign, subject="Te laat")


def test_send_reports_only_its_own_campaigns_deliveries(sessions, wiring):
    # Defect: `campaigns send 3` printed "sent 22" while campaign 3 had 11 deliveries.
    add_subscribers(sessions, 3)
    other = add_campaign(sessions, add_post(sessions), ["email"], state="approved")
    mine = add_campaign(sessions, add_post(sessions), ["email"], state="draft")
    actions.send_now(sessions, other, NOW, lambda s, c: "not sent yet")

    report = actions.send_now(sessions, mine, NOW, wiring.start_send())

    assert report.totals()["sent"] == 3
    assert report.how.startswith("sent 3,")
    with sessions() as session:
        other_sent = session.scalar(
            select(func.count()).where(Delivery.campaign_id == other, Delivery.state == "sent")
        )
    assert other_sent == 0


def test_a_channel_whose_every_delivery_failed_is_reported_with_its_reason(sessions, tmp_path):
    # Defect: an unconfigured live channel left the campaign "failed 1" with exit 0.
    settings = Settings(
        data_dir=tmp_path / "data",
        social_channel="live",
        campaign_channels="email,mastodon",
        secret_key="x",
    )
    wiring = Wiring(settings)
    campaign = add_campaign(sessions, add_post(sessions), ["email", "mastodon"], state="draft")
    add_subscribers(sessions, 1)

    report = actions.send_now(sessions, campaign, NOW, wiring.start_send())

    assert report.failing == {
        "mastodon": "not configured: set DISTRIBUTOR_MASTODON_URL and DISTRIBUTOR_MASTODON_TOKEN"
    }


def test_retry_gives_failed_deliveries_a_new_try(sessions, wiring, tmp_path):
    live = Wiring(Settings(data_dir=tmp_path / "data", social_channel="live", secret_key="x"))
    campaign = add_campaign(sessions, add_post(sessions), ["mastodon"], state="draft")
    actions.send_now(sessions, campaign, NOW, live.start_send())
    with sessions() as session:
        detail = actions.show_campaign(session, campaign)
    assert detail.state == "failed"
    assert [(f.channel, f.attempts) for f in detail.failures] == [("mastodon", 1)]
    assert "DISTRIBUTOR_MASTODON_URL" in (detail.failures[0].error or "")

    rows, report = actions.retry_failed(sessions, campaign, NOW, wiring.start_send())

    assert rows == 1 and report.failing == {} and report.state == "sent"


def test_a_test_send_is_marked_and_creates_no_rows_and_keeps_the_state(sessions, wiring):
    campaign = add_campaign(sessions, add_post(sessions), ["email", "mastodon"], state="draft")
    with sessions() as session:
        compose = wiring.compose_settings()
        mail = actions.send_test(
            session, compose, wiring.open_channel, campaign, NOW, to="ik@praktijk.example"
        )
        social = actions.send_test(
            session, compose, wiring.open_outbox_channel, campaign, NOW, channel="mastodon"
        )
    assert mail.receipt.ok and social.receipt.ok
    [message] = emails(wiring)
    assert message["Subject"].startswith("[TEST] ") and message["To"] == "ik@praktijk.example"
    [status] = (wiring.settings.outbox_dir / "social").glob("*-test-*-1.json")
    assert '"[TEST] ' in status.read_text(encoding="utf-8")
    assert deliveries(sessions, campaign) == 0
    with sessions() as session:
        assert session.get(Campaign, campaign).state == "draft"


def test_preview_shows_each_language_and_each_thread_against_its_limit(sessions, wiring):
    campaign = add_campaign(sessions, add_post(sessions), ["email", "mastodon", "webhook"])
    with sessions() as session:
        preview = preview_campaign(
            session, wiring.compose_settings(), wiring.snippet_limits(), campaign, NOW
        )
    assert [email.language for email in preview.emails] == ["nl", "en", "fr"]
    assert all(post.limit == 500 and post.fits for post in preview.social["mastodon"])
    assert preview.social["webhook"][0].limit is None
