"""The newsletter's links to the post and the site are counted links that lead back to exactly
the URL the email would otherwise show; only opted-in readers' links name them."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest

from distributor.click_tokens import read_link_token, read_open_token, read_person_token
from distributor.config import Settings
from distributor.pipeline.delivery.claim import Claimed
from distributor.pipeline.delivery.compose import Composer
from distributor.render.newsletter import decoded_body
from distributor.store.db import session_factory
from distributor.store.tables import Subscriber
from distributor.wiring import Wiring
from tests.pipeline.delivery_support import NOW, add_campaign, add_post, add_subscribers

PUBLIC = "https://nieuws.praktijk.example"
KEY = b"click-test-key"


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


def html_of(sessions, tmp_path, subscriber_id: int, **settings_changes) -> str:
    settings = Settings(
        data_dir=tmp_path, public_url=PUBLIC, secret_key=KEY.decode(), **settings_changes
    )
    campaign_id = add_campaign(sessions, add_post(sessions), ["email"])
    with sessions() as session:
        composer = Composer(Wiring(settings).compose_settings(), session, campaign_id)
        row = Claimed(1, campaign_id, "email", "x@example.org", subscriber_id, 0, (), NOW)
        composer.load(session, [row])
        message = composer.item(row, NOW)
    email = message_from_bytes(message.raw, policy=policy.default)
    return decoded_body(email.get_body(("html",))) + decoded_body(email.get_body(("plain",)))


def test_post_and_site_links_go_through_r_and_lead_to_the_tagged_urls(sessions, tmp_path):
    add_subscribers(sessions, 1)
    body = html_of(sessions, tmp_path, 1)
    tokens = set(re.findall(re.escape(PUBLIC) + r"/r/([A-Za-z0-9_.\-]+)", body))
    urls = {read_link_token(KEY, token).url for token in tokens}
    assert any(u.startswith("https://praktijk.example/blog/rugpijn-hernia?utm_") for u in urls)
    assert "?s=" not in body
    assert "/o/" not in body  # opens are off by default


def test_an_opted_in_readers_links_carry_their_person_token(sessions, tmp_path):
    add_subscribers(sessions, 1)
    with sessions.begin() as session:
        session.get(Subscriber, 1).per_person_stats = True
    body = html_of(sessions, tmp_path, 1)
    person = set(re.findall(r"/r/[A-Za-z0-9_.\-]+\?s=([A-Za-z0-9_.\-]+)", body))
    assert len(person) == 1
    assert read_person_token(KEY, person.pop())[0] == 1


def test_turned_on_opens_add_one_pixel_and_turned_off_clicks_keep_plain_links(sessions, tmp_path):
    add_subscribers(sessions, 1)
    body = html_of(sessions, tmp_path, 1, track_opens=True, track_clicks=False)
    (pixel,) = re.findall(re.escape(PUBLIC) + r"/o/([A-Za-z0-9_.\-]+)\.gif", body)
    assert read_open_token(KEY, pixel) >= 1
    assert "/r/" not in body
    assert "https://praktijk.example/blog/rugpijn-hernia?utm_" in body
