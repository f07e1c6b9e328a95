"""Joining on the web, over HTTP: the /subscribe contract, double opt-in, abuse limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from distributor.pipeline import erase
from distributor.pipeline.signup import CONFIRM_PURPOSE
from distributor.signed import sign
from distributor.store.queries import events
from distributor.store.tables import ErasedAddress
from distributor.tokens import signing_key
from tests.web.conftest import confirm_link, form_token

SENT_TEXT = "Kijk in je mailbox"


def client() -> httpx.Client:
    return httpx.Client(timeout=20, headers={"Accept-Language": "nl-BE,nl;q=0.9"})


def confirm(site, link: str) -> httpx.Response:
    with client() as browser:
        page = browser.get(link)
        return browser.post(link, data={"csrf_token": form_token(page.text)})


def test_the_form_has_the_contract_fields_and_the_consent_text_in_the_visitors_language(site):
    page = httpx.get(f"{site.url}/subscribe", headers={"Accept-Language": "fr-BE,fr;q=0.8"})
    assert page.status_code == 200
    for field in ('name="email"', 'name="name"', 'name="language"', 'name="csrf_token"'):
        assert field in page.text
    assert 'name="consent" value="yes"' in page.text
    assert '<option value="fr" selected>' in page.text
    assert "Oui, je souhaite recevoir la newsletter de Kine Test" in page.text
    assert "<script" not in page.text


@pytest.mark.parametrize("state", ["new", "pending", "confirmed", "unsubscribed", "bounced"])
def test_every_state_of_an_address_gets_the_same_answer(site, state):
    address = f"{state}@example.be"
    if state != "new":
        site.add_subscriber(address, status=state)
    with client() as browser:
        answer = site.sign_up(browser, email=address)
        assert (answer.status_code, answer.headers["location"]) == (303, "/subscribe/sent")
        assert SENT_TEXT in browser.get(f"{site.url}/subscribe/sent").text
    mailed = [m["To"] for m in site.outbox()]
    expected = [address] if state in ("new", "pending", "unsubscribed") else []
    assert mailed == expected


def test_an_erased_address_gets_the_same_answer_and_no_email(site):
    with site.sessions() as session, session.begin():
        session.add(
            ErasedAddress(
                address_hash=erase.address_hash(signing_key(site.settings), "gone@example.be"),
                erased_at=datetime.now(UTC),
            )
        )
    with client() as browser:
        answer = site.sign_up(browser, email="gone@example.be")
    assert (answer.status_code, answer.headers["location"]) == (303, "/subscribe/sent")
    assert site.outbox() == []
    assert site.subscriber_by_email("gone@example.be") is None


def test_the_confirmation_link_shows_a_button_and_only_the_post_confirms(site):
    with client() as browser:
        site.sign_up(browser, email="an@example.be", name="An Peeters", language="fr")
    (message,) = site.outbox()
    assert message["Subject"].startswith("Confirmez votre inscription")
    assert "An Peeters" not in message.as_string()  # no name in the confirmation email
    link = confirm_link(message)
    assert link.startswith(f"{site.url}/confirm/")
    page = httpx.get(link)
    assert page.status_code == 200 and '<form method="post"' in page.text
    assert site.subscriber_by_email("an@example.be").status == "pending"
    done = confirm(site, link)
    assert done.status_code == 200
    assert "Vous êtes inscrit·e" in done.text  # the language the subscriber chose
    assert "/p/" in done.text
    row = site.subscriber_by_email("an@example.be")
    assert row.status == "confirmed"
    assert (row.consent_ip, row.confirmed_ip) == ("127.0.0.1", "127.0.0.1")
    assert row.consent_user_agent.startswith("python-httpx")
    assert row.consent_form_url == f"{site.url}/subscribe"
    assert row.consent_text_version.startswith("fr-") and row.consent_language == "fr"
    assert row.confirmed_at >= row.consent_at


def test_confirmation_sends_the_welcome_email_once(site):
    with client() as browser:
        site.sign_up(browser, email="welkom@example.be")
    link = confirm_link(site.outbox()[0])
    confirm(site, link)
    confirm(site, link)  # replayed: still subscribed, no second welcome
    welcome = site.outbox()[1:]
    assert len(welcome) == 1
    assert welcome[0]["Subject"] == "Welkom bij de nieuwsbrief van Kine Test"
    assert welcome[0]["List-Unsubscribe"].startswith(f"<{site.url}/u/")
    assert welcome[0]["List-Archive"] == f"<{site.url}/archive>"
    text = welcome[0].get_body(("plain",)).get_content()
    assert f"{site.url}/p/" in text and "telkens Kine Test een nieuw artikel publiceert" in text


def test_no_welcome_email_when_it_is_turned_off(make_site):
    site = make_site(welcome_email=False)
    with client() as browser:
        site.sign_up(browser, email="stil@example.be")
    confirm(site, confirm_link(site.outbox()[0]))
    assert len(site.outbox()) == 1
    assert site.subscriber_by_email("stil@example.be").status == "confirmed"


def test_a_forged_link_offers_to_send_a_new_one(site):
    with client() as browser:
        site.sign_up(browser, email="vals@example.be")
    link = confirm_link(site.outbox()[0])
    forged = link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB")
    page = httpx.get(forged)
    assert page.status_code == 400
    assert 'action="/confirm/resend"' in page.text
    answer = httpx.post(forged, data={"csrf_token": "x"})
    assert answer.status_code == 403
    assert site.subscriber_by_email("vals@example.be").status == "pending"


def test_an_expired_link_is_refused_and_a_new_one_can_be_sent(site):
    with client() as browser:
        site.sign_up(browser, email="oud@example.be")
    row = site.subscriber_by_email("oud@example.be")
    eight_days_ago = datetime.now(UTC) - timedelta(days=8)
    token = sign(
        signing_key(site.settings),
        CONFIRM_PURPOSE,
        [row.id, int(row.consent_at.timestamp())],
        eight_days_ago,
    )
    page = httpx.get(f"{site.url}/confirm/{token}")
    assert page.status_code == 400 and "verlopen" in page.text
    with client() as browser:
        resend = browser.post(
            f"{site.url}/confirm/resend",
            data={"email": "oud@example.be", "csrf_token": form_token(page.text)},
        )
    assert resend.status_code == 303
    assert len(site.outbox()) == 2
    confirm(site, confirm_link(site.outbox()[1]))
    assert site.subscriber_by_email("oud@example.be").status == "confirmed"


def test_an_old_link_cannot_resubscribe_someone_who_left(site):
    with client() as browser:
        site.sign_up(browser, email="weg@example.be")
    link = confirm_link(site.outbox()[0])
    confirm(site, link)
    row = site.subscriber_by_email("weg@example.be")
    httpx.post(site.link("unsubscribe", row.id), data={"List-Unsubscribe": "One-Click"})
    replay = confirm(site, link)
    assert replay.status_code == 400
    assert site.subscriber_by_email("weg@example.be").status == "unsubscribed"


def test_a_form_without_its_token_is_refused_with_a_page_that_says_to_reload(site):
    answer = httpx.post(
        f"{site.url}/subscribe",
        data={"email": "csrf@example.be", "consent": "yes", "language": "nl"},
    )
    assert answer.status_code == 403
    assert "Laad de pagina opnieuw" in answer.text
    wrong = httpx.post(
        f"{site.url}/subscribe",
        data={"email": "csrf@example.be", "consent": "yes", "csrf_token": "forged.token"},
    )
    assert wrong.status_code == 403
    assert site.outbox() == []


def test_the_page_token_works_only_with_the_visitors_own_cookie(site):
    page = httpx.get(f"{site.url}/subscribe")
    stolen = form_token(page.text)
    answer = httpx.post(  # another visitor (no cookie) replaying the token
        f"{site.url}/subscribe",
        data={"email": "x@example.be", "consent": "yes", "csrf_token": stolen},
    )
    assert answer.status_code == 403


def test_at_most_five_confirmation_emails_per_address_per_day(site):
    answers = []
    with client() as browser:
        for _ in range(7):
            answers.append(site.sign_up(browser, email="veel@example.be"))
    assert [a.status_code for a in answers] == [303] * 5 + [429] * 2
    assert SENT_TEXT in answers[-1].text
    assert len(site.outbox()) == 5


def test_too_many_requests_from_one_address_get_429_with_the_same_text(make_site):
    site = make_site(signup_rate_per_ip="3/h")
    with client() as browser:
        codes = [site.sign_up(browser, email=f"ip{i}@example.be") for i in range(5)]
    assert [a.status_code for a in codes] == [303, 303, 303, 429, 429]
    assert SENT_TEXT in codes[-1].text
    assert len(site.outbox()) == 3


def test_the_limits_are_shared_through_redis_when_it_is_configured(make_site, redis_settings):
    first = make_site(signup_rate_per_ip="2/h", **redis_settings)
    second = make_site(signup_rate_per_ip="2/h", **redis_settings)
    with client() as browser:
        answers = [
            first.sign_up(browser, email="r1@example.be"),
            second.sign_up(browser, email="r2@example.be"),
            first.sign_up(browser, email="r3@example.be"),
        ]
    assert [a.status_code for a in answers] == [303, 303, 429]


def test_the_honeypot_and_a_too_fast_form_send_nothing(make_site):
    site = make_site(signup_min_fill_s=3600.0)
    with client() as browser:
        fast = site.sign_up(browser, email="bot@example.be")
    assert (fast.status_code, fast.headers["location"]) == (303, "/subscribe/sent")
    slow = make_site()
    with client() as browser:
        trapped = slow.sign_up(browser, email="bot2@example.be", website="http://spam.example")
    assert trapped.status_code == 303
    assert site.outbox() == [] and slow.outbox() == []


def test_a_ten_thousand_character_name_is_cut_not_refused(site):
    with client() as browser:
        answer = site.sign_up(browser, email="lang@example.be", name="Ann" * 3334)
    assert answer.status_code == 303
    assert len(site.subscriber_by_email("lang@example.be").name) == 200


def test_a_data_url_is_never_kept_as_a_name_nor_taken_as_an_address(site):
    payload = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
    with client() as browser:
        site.sign_up(browser, email="data@example.be", name=payload)
        refused = site.sign_up(browser, email=payload)
    assert site.subscriber_by_email("data@example.be").name == ""
    assert refused.status_code == 422
    assert 'href="data:' not in refused.text and 'src="data:' not in refused.text
    assert len(site.outbox()) == 1


def test_consent_must_be_given(site):
    with client() as browser:
        answer = site.sign_up(browser, email="nee@example.be", consent="")
    assert answer.status_code == 422
    assert "Vink het vakje aan" in answer.text
    assert site.subscriber_by_email("nee@example.be") is None


def test_head_requests_are_answered_like_get(site):
    for path in ("/subscribe", "/subscribe/sent", "/subscribe/embed", "/archive"):
        got, head = httpx.get(site.url + path), httpx.head(site.url + path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]


def test_the_embedded_form_posts_cross_site_without_a_cookie(site):
    page = httpx.get(f"{site.url}/subscribe/embed")
    assert page.status_code == 200
    snippet = page.text
    assert f'action="{site.url}/subscribe"' in snippet.replace("&#34;", '"').replace("&quot;", '"')
    token = form_token(snippet.replace("&#34;", '"').replace("&quot;", '"'))
    answer = httpx.post(
        f"{site.url}/subscribe",
        headers={"Origin": "https://www.kine-praktijk.example"},
        data={"email": "embed@example.be", "consent": "yes", "csrf_token": token},
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/subscribe/sent")
    assert [m["To"] for m in site.outbox()] == ["embed@example.be"]


def test_cookies_are_secure_when_the_public_url_is_https(make_site):
    site = make_site(public_url="https://kine.example")
    page = httpx.get(f"{site.url}/subscribe")
    cookie = page.headers["set-cookie"].lower()
    for flag in ("secure", "httponly", "samesite=lax"):
        assert flag in cookie


def test_the_export_holds_profile_consent_and_deliveries(site):
    with client() as browser:
        site.sign_up(browser, email="data@example.be", name="Dirk")
    confirm(site, confirm_link(site.outbox()[0]))
    row = site.subscriber_by_email("data@example.be")
    answer = httpx.get(site.link("preferences", row.id) + "/export")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment")
    data = json.loads(answer.text)
    assert set(data) == {"profile", "consent", "deliveries"}
    assert data["profile"]["email"] == "data@example.be"
    assert data["consent"]["ip"] == "127.0.0.1" and data["consent"]["confirmed_at"]


def test_erase_asks_first_then_keeps_only_a_keyed_hash(site):
    subscriber = site.add_subscriber("wis@example.be")
    link = site.link("preferences", subscriber)
    step = httpx.get(f"{link}/erase")
    assert step.status_code == 200 and site.subscriber(subscriber) is not None
    done = httpx.post(f"{link}/erase", data={"csrf_token": form_token(step.text)})
    assert done.status_code == 200
    assert site.subscriber(subscriber) is None
    with site.sessions() as session:
        (kept,) = session.query(ErasedAddress).all()
        assert kept.address_hash != "wis@example.be" and len(kept.address_hash) == 64
        assert events(session, "subscriber.erased", subscriber_id=subscriber)
    with client() as browser:
        again = site.sign_up(browser, email="wis@example.be")
    assert again.status_code == 303 and site.outbox() == []
