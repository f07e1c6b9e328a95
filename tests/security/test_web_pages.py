"""Issue 11 (web pages): headers on every page, HEAD, cross-site and multipart POSTs, tokens in
the access log, and an "undo" that can only reverse its own recent unsubscribe. Each test runs
against the real app served by uvicorn on loopback."""

from __future__ import annotations

import logging
import socket
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from distributor.config import Settings
from distributor.store.tables import Subscriber
from distributor.tokens import signing_key
from distributor.web.forms import bound_to
from distributor.web.forms import form_token as form_token_for
from tests.web import conftest as web_pages
from tests.web.conftest import form_token

make_site = web_pages.make_site  # the web app on loopback, as a fixture here too
site = web_pages.site


def personal_pages(site) -> list[str]:
    subscriber = site.add_subscriber("kop@example.be")
    return [site.link("unsubscribe", subscriber), site.link("preferences", subscriber)]


def test_every_page_forbids_scripts_and_framing(site):
    for url in [f"{site.url}/subscribe", f"{site.url}/archive", *personal_pages(site)]:
        policy = httpx.get(url).headers["content-security-policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'none'", url
        assert "script-src" not in directives  # default-src 'none': no script of any kind
        assert directives["frame-ancestors"] == "'none'"


def test_every_page_sends_no_referrer_and_no_sniffing(site):
    for url in [f"{site.url}/subscribe", *personal_pages(site)]:
        headers = httpx.get(url).headers
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"


def test_pages_reached_by_a_token_are_never_cached(site):
    for url in personal_pages(site):
        assert httpx.get(url).headers["cache-control"] == "no-store"
    assert "no-store" not in httpx.get(f"{site.url}/archive").headers.get("cache-control", "")


def test_head_is_answered_like_get_on_the_personal_pages(site):
    for url in personal_pages(site):
        head = httpx.head(url)
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["cache-control"] == "no-store"


def test_a_cross_site_form_post_to_the_preferences_page_is_refused(site):
    subscriber = site.add_subscriber("csrf@example.be")
    link = site.link("preferences", subscriber)
    token = form_token(httpx.get(link).text)
    answer = httpx.post(
        link,
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        data={"language": "fr", "frequency": "weekly", "csrf_token": token},
    )
    assert answer.status_code == 403
    assert site.subscriber(subscriber).frequency == "immediate"
    same_site = httpx.post(
        link,
        headers={"Origin": site.url},
        data={"language": "fr", "frequency": "weekly", "csrf_token": token},
    )
    assert same_site.status_code == 200


def test_a_multipart_body_is_refused_before_it_is_read(site):
    subscriber = site.add_subscriber("multi@example.be")
    path = site.link("preferences", subscriber).removeprefix(site.url)
    port = int(site.url.rsplit(":", 1)[1])
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\n"
        f"Content-Length: {200 * 1024 * 1024}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)  # announces 200 MB and sends none of it
        status_line = connection.recv(200).split(b"\r\n", 1)[0]
    assert status_line == b"HTTP/1.1 415 Unsupported Media Type"


def test_a_huge_form_is_refused_before_it_is_read(site):
    port = int(site.url.rsplit(":", 1)[1])
    request = (
        f"POST /subscribe HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {1024 * 1024 * 1024}\r\n\r\nemail="
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)  # announces 1 GiB and sends six bytes of it
        status_line = connection.recv(200).split(b"\r\n", 1)[0]
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"


def test_tokens_never_reach_the_access_log(make_site):
    site = make_site(log_level="info")
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    collector = Collect()
    logging.getLogger("uvicorn.access").addHandler(collector)
    try:
        subscriber = site.add_subscriber("log@example.be")
        link = site.link("preferences", subscriber)
        httpx.get(link)
        httpx.get(link + "/export")
    finally:
        logging.getLogger("uvicorn.access").removeHandler(collector)
    token = link.rsplit("/", 1)[1]
    assert any("/p/…" in line for line in lines), lines
    assert not any(token in line for line in lines)


def page_token(link: str) -> str:
    """A valid form token of the unsubscribe page behind `link` (what its page would carry)."""
    key = signing_key(Settings(secret_key="web-test-key"))
    return form_token_for(key, "unsubscribe", bound_to(link.rsplit("/", 1)[1]), datetime.now(UTC))


def unsubscribe_on_the_page(link: str) -> None:
    assert httpx.post(link, data={"csrf_token": page_token(link)}).status_code == 200


def undo(link: str) -> httpx.Response:
    return httpx.post(link, data={"action": "undo", "csrf_token": page_token(link)})


@pytest.mark.parametrize("status", ["bounced", "pending"])
def test_undo_never_turns_a_bounced_or_pending_address_into_a_subscriber(site, status):
    subscriber = site.add_subscriber(f"{status}@example.be", status=status)
    link = site.link("unsubscribe", subscriber)
    unsubscribe_on_the_page(link)
    undo(link)
    assert site.subscriber(subscriber).status == "unsubscribed"


def test_the_one_click_path_ignores_undo_and_unsubscribes(site):
    subscriber = site.add_subscriber("oneclick@example.be")
    link = site.link("unsubscribe", subscriber)
    answer = httpx.post(link, data={"List-Unsubscribe": "One-Click", "action": "undo"})
    assert answer.text == "unsubscribed"
    assert site.subscriber(subscriber).status == "unsubscribed"
    undo(link)  # nor can the page undo a one-click unsubscribe
    assert site.subscriber(subscriber).status == "unsubscribed"


def test_undo_works_only_through_the_link_that_unsubscribed(site):
    subscriber = site.add_subscriber("forwarded@example.be")
    unsubscribe_on_the_page(site.link("unsubscribe", subscriber, campaign_id=7))
    undo(site.link("unsubscribe", subscriber, campaign_id=8))  # another email's link
    assert site.subscriber(subscriber).status == "unsubscribed"
    undo(site.link("unsubscribe", subscriber, campaign_id=7))
    assert site.subscriber(subscriber).status == "confirmed"


def test_undo_expires_after_24_hours(site):
    subscriber = site.add_subscriber("late@example.be")
    link = site.link("unsubscribe", subscriber)
    unsubscribe_on_the_page(link)
    with site.sessions() as session, session.begin():
        row = session.get(Subscriber, subscriber)
        row.unsubscribed_at = datetime.now(UTC) - timedelta(hours=25)
    answer = undo(link)
    assert answer.status_code == 200
    assert site.subscriber(subscriber).status == "unsubscribed"
