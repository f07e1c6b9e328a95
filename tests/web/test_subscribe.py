"""Subscribers leave with one click and change their preferences from signed links."""

from __future__ import annotations

import httpx

from distributor.store.queries import events
from tests.web.conftest import form_token


def save_preferences(link: str, **fields: str) -> httpx.Response:
    token = form_token(httpx.get(link).text)
    return httpx.post(link, data=fields | {"csrf_token": token})


def test_one_click_post_as_a_mail_provider_sends_it_unsubscribes(site):
    subscriber = site.add_subscriber("an@example.be")
    response = httpx.post(
        site.link("unsubscribe", subscriber),
        content="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    row = site.subscriber(subscriber)
    assert row.status == "unsubscribed"
    assert row.unsubscribed_at is not None
    with site.sessions() as session:
        (event,) = events(session, "subscriber.unsubscribed", subscriber_id=subscriber)
        assert event.detail == {"via": "one-click (RFC 8058)"}
        assert event.campaign_id == 7


def test_one_click_twice_is_harmless_and_records_one_event(site):
    subscriber = site.add_subscriber("twice@example.be")
    for _ in range(2):
        response = httpx.post(
            site.link("unsubscribe", subscriber), data={"List-Unsubscribe": "One-Click"}
        )
        assert response.status_code == 200
    with site.sessions() as session:
        assert len(events(session, "subscriber.unsubscribed", subscriber_id=subscriber)) == 1


def test_the_unsubscribe_page_asks_before_it_acts(site):
    subscriber = site.add_subscriber("ask@example.be")
    page = httpx.get(site.link("unsubscribe", subscriber))
    assert page.status_code == 200
    assert "ask@example.be" in page.text
    assert "Uitschrijven" in page.text  # the subscriber's language (nl)
    assert site.subscriber(subscriber).status == "confirmed"


def test_a_forged_or_altered_link_changes_nothing(site):
    subscriber = site.add_subscriber("safe@example.be")
    link = site.link("unsubscribe", subscriber)
    altered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    response = httpx.post(altered, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    preferences_token_as_unsubscribe = site.link("preferences", subscriber).replace("/p/", "/u/")
    assert httpx.post(preferences_token_as_unsubscribe, data={}).status_code == 400
    assert site.subscriber(subscriber).status == "confirmed"


def test_preferences_change_language_and_frequency(site):
    subscriber = site.add_subscriber("prefs@example.be")
    response = save_preferences(
        site.link("preferences", subscriber), language="fr", frequency="weekly"
    )
    assert response.status_code == 200
    assert "Vos préférences sont enregistrées." in response.text
    row = site.subscriber(subscriber)
    assert (row.language, row.frequency) == ("fr", "weekly")


def test_preferences_refuse_an_unknown_choice_with_a_reason(site):
    subscriber = site.add_subscriber("bad@example.be")
    response = save_preferences(
        site.link("preferences", subscriber), language="xx", frequency="weekly"
    )
    assert response.status_code == 422
    assert "Choose a language" in response.text
    assert site.subscriber(subscriber).language == "nl"
