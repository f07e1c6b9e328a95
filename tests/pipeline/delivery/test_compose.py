"""Composing a row: each channel's own snippet and UTM source, one post link everywhere."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes, policy
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import update

from distributor.click_tokens import read_link_token
from distributor.config import Settings
from distributor.errors import UserError
from distributor.model import Digest
from distributor.pipeline.delivery.claim import Claimed
from distributor.pipeline.delivery.compose import Composer
from distributor.pipeline.preview import preview_post_email
from distributor.store.db import session_factory
from distributor.store.tables import Post as PostRow
from distributor.store.tables import Subscriber
from distributor.wiring import Wiring
from tests.pipeline.delivery_support import DIGEST, NOW, add_campaign, add_post

SITE = "https://praktijk.example"


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


@pytest.fixture
def wiring(tmp_path) -> Wiring:
    return Wiring(Settings(data_dir=tmp_path, site_url=SITE, secret_key="compose"))


def row(channel: str, subscriber_id: int | None = None) -> Claimed:
    recipient = "lezer@example.org" if channel == "email" else channel
    return Claimed(1, 1, channel, recipient, subscriber_id, 0, (), NOW + timedelta(minutes=5))


def composer(sessions, wiring, channels: list[str]) -> Composer:
    campaign = add_campaign(sessions, add_post(sessions), channels)
    with sessions() as session:
        return Composer(wiring.compose_settings(), session, campaign)


def test_a_webhook_delivery_carries_its_own_event_and_utm_source(sessions, wiring):
    # Defect: webhook rows got Mastodon's rules: utm_source=mastodon and "1/2" numbering.
    snippet = composer(sessions, wiring, ["webhook"]).item(row("webhook"), NOW)
    assert parse_qs(urlsplit(snippet.link).query)["utm_source"] == ["webhook"]
    assert snippet.texts[1:] == tuple(DIGEST["highlights"])


def test_each_social_channel_tags_the_link_with_its_own_name(sessions, wiring):
    built = composer(sessions, wiring, ["x", "bluesky", "linkedin", "mastodon"])
    for channel in ("x", "bluesky", "linkedin", "mastodon"):
        link = built.item(row(channel), NOW).link
        assert parse_qs(urlsplit(link).query)["utm_source"] == [channel]


def test_a_row_for_an_unknown_channel_is_refused_not_sent_with_another_channels_rules(
    sessions, wiring
):
    with pytest.raises(UserError, match="no social channel 'facebook'"):
        composer(sessions, wiring, ["facebook"]).item(row("facebook"), NOW)


def test_a_post_without_a_url_links_to_the_site_and_its_slug_in_email_and_preview(sessions, wiring):
    # Defect: preview linked to the post's slug, the delivered email to the site's root.
    campaign = add_campaign(sessions, add_post(sessions), ["email"])
    with sessions.begin() as session:
        without_url = {**DIGEST, "url": None}
        session.execute(update(PostRow).values(url=None, digest=without_url))
    with sessions() as session:
        email = Composer(wiring.compose_settings(), session, campaign).item(row("email"), NOW)
    text = message_from_bytes(email.raw, policy=policy.default).get_body(("plain",))
    expected = f"{SITE}/{DIGEST['slug']}?utm_source=newsletter"
    key = wiring.compose_settings().signing_key  # the email's links are counted links (/r/)
    tokens = re.findall(r"/r/([\w.\-]+)", text.get_content())
    assert any(expected in read_link_token(key, token).url for token in tokens)

    digest = Digest.from_json(without_url)
    preview = preview_post_email(wiring.compose_settings(), digest, "nl", NOW)
    assert expected in preview.text


def test_the_stored_digest_reads_back_through_the_model():
    digest = Digest.from_json(DIGEST)
    assert digest.as_json() | {"slug": digest.slug} == DIGEST


def email_to(sessions, wiring, name: str, language: str) -> str:
    """The text part of the email a subscriber gets for the (Dutch) sample post."""
    campaign = add_campaign(sessions, add_post(sessions), ["email"])
    with sessions.begin() as session:
        reader = Subscriber(email=f"{language}@example.org", name=name, language=language)
        session.add(reader)
        session.flush()
        reader_id = reader.id
    with sessions() as session:
        built = Composer(wiring.compose_settings(), session, campaign)
        claimed = Claimed(1, campaign, "email", f"{language}@example.org", reader_id, 0, (), NOW)
        built.load(session, [claimed])
        message = built.item(claimed, NOW)
    parsed = message_from_bytes(message.raw, policy=policy.default)
    return parsed.get_body(("plain",)).get_content()


def test_a_french_reader_gets_a_french_frame_around_the_dutch_post(sessions, wiring):
    # Defect: a subscriber whose language is fr got a fully Dutch email ("Dag Marie Lambert").
    text = email_to(sessions, wiring, "Marie Lambert", "fr")
    assert "Bonjour Marie," in text.splitlines()
    assert "Temps de lecture" in text and "Se désabonner" in text
    assert "Leestijd" not in text and "Uitschrijven" not in text
    assert DIGEST["title"] in text and DIGEST["highlights"][0] in text


@pytest.mark.parametrize(
    ("name", "language", "greeting"),
    [
        ("Lies Peeters", "nl", "Dag Lies,"),
        ("Marie Lambert", "fr", "Bonjour Marie,"),
        ("Tom Smith", "en", "Hi Tom,"),
        ("", "nl", "Dag,"),
        ("", "fr", "Bonjour,"),
    ],
)
def test_the_greeting_uses_the_first_name_or_none(sessions, wiring, name, language, greeting):
    lines = email_to(sessions, wiring, name, language).splitlines()
    assert greeting in lines
    assert not any(line.startswith(greeting[:-1] + " ") for line in lines if line != greeting)
