"""Counted links redirect to their exact URL and count; forged ones only ever go to the site;
opens are off by default and, when on, counted in aggregate with Apple's proxy apart."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from distributor.click_tokens import link_token, open_token, person_token
from distributor.pipeline.stats import campaign_stats
from distributor.store.tables import LinkClick, Subscriber
from distributor.tokens import signing_key

POST = "https://praktijk.example/blog/rugpijn?utm_source=newsletter&utm_medium=email&x=%C3%A9#tips"


def get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, follow_redirects=False, timeout=10)


@pytest.fixture
def key(site) -> bytes:
    return signing_key(site.settings)


def clicks(site, campaign_id: int = 7) -> dict[str, int]:
    with site.sessions() as session:
        return campaign_stats(session, campaign_id)["clicks"]


def test_a_click_is_counted_and_redirects_302_to_the_exact_original_url(site, key):
    token = link_token(key, 7, POST)
    for _ in range(2):
        answer = get(f"{site.url}/r/{token}")
        assert answer.status_code == 302
        assert answer.headers["location"] == POST
    assert clicks(site) == {POST: 2}
    with site.sessions() as session:
        assert session.scalars(select(LinkClick.subscriber_id)).all() == [None, None]


def test_a_forged_or_altered_token_redirects_only_to_the_practices_site(site, key):
    token = link_token(key, 7, POST)
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    forged = link_token(b"someone-elses-key", 7, "https://evil.example/phish")
    not_web = link_token(key, 7, "javascript:alert(1)")
    for bad in (altered, forged, not_web, "x" * 20000, "%2F%2Fevil.example"):
        answer = get(f"{site.url}/r/{bad}")
        assert answer.status_code in (302, 404)
        if answer.status_code == 302:
            assert answer.headers["location"] == site.settings.site_url
    assert clicks(site) == {}


def test_a_reader_is_named_only_when_they_opted_in_to_per_person_statistics(site, key):
    opted_in, not_opted_in = site.add_subscriber("an@example.org"), site.add_subscriber("bo@x.be")
    with site.sessions.begin() as session:
        session.get(Subscriber, opted_in).per_person_stats = True
    token = link_token(key, 7, POST)
    for reader in (opted_in, not_opted_in):
        assert get(f"{site.url}/r/{token}?s={person_token(key, reader, 7)}").status_code == 302
    assert get(f"{site.url}/r/{token}?s={person_token(key, opted_in, 8)}").status_code == 302
    with site.sessions() as session:
        named = session.scalars(select(LinkClick.subscriber_id).order_by(LinkClick.id)).all()
    assert named == [opted_in, None, None]  # a person token of another campaign names nobody


def test_opens_are_not_counted_unless_turned_on(site, key):
    pixel = f"{site.url}/o/{open_token(key, 7)}.gif"
    answer = get(pixel)
    assert answer.status_code == 200 and answer.content.startswith(b"GIF89a")
    with site.sessions() as session:
        assert campaign_stats(session, 7)["opens"] == {"readers": 0, "apple_privacy_proxy": 0}


def test_turned_on_opens_are_aggregate_and_apple_proxy_opens_are_labelled_apart(site, key):
    site.settings.track_opens = True
    pixel = f"{site.url}/o/{open_token(key, 7)}.gif"
    get(pixel, **{"user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Thunderbird/128"})
    get(pixel, **{"user-agent": "Mozilla/5.0"})  # Mail Privacy Protection's bare user agent
    get(f"{site.url}/o/{open_token(b'other', 7)}.gif")
    with site.sessions() as session:
        assert campaign_stats(session, 7)["opens"] == {"readers": 1, "apple_privacy_proxy": 1}


def test_a_reader_opts_in_and_out_of_per_person_statistics_from_the_preferences_page(site):
    reader = site.add_subscriber("an@example.org")
    preferences = site.link("preferences", reader)
    assert f'href="{preferences.removeprefix(site.url)}/statistics"' in get(preferences).text
    page = get(f"{preferences}/statistics")
    assert page.status_code == 200 and "Statistieken over jou" in page.text
    assert 'name="per_person_stats"' in page.text and "checked" not in page.text
    saved = httpx.post(f"{preferences}/statistics", data={"per_person_stats": "yes"})
    assert "Je keuze is bewaard." in saved.text
    assert site.subscriber(reader).per_person_stats is True
    httpx.post(f"{preferences}/statistics", data={})
    assert site.subscriber(reader).per_person_stats is False
    forged = f"{site.url}/p/{'x' * 40}/statistics"
    assert httpx.post(forged, data={"per_person_stats": "yes"}).status_code == 400
