"""fetch: a bounded, conditional GET against a real server on loopback."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from distributor.errors import UserError
from distributor.sources.fetch import (
    USER_AGENT,
    FetchError,
    decode_body,
    fetch,
    parse_retry_after,
)
from tests.httpserver import LocalServer, Reply

PAGE = "<html><head><title>Knie</title></head><body><p>Kniepijn bij het lopen.</p></body></html>"
LAST_MODIFIED = "Wed, 11 Sep 2024 08:00:00 GMT"


def html_reply(text: str = PAGE, charset: str | None = "utf-8", **kw) -> Reply:
    content_type = "text/html" + (f"; charset={charset}" if charset else "")
    headers = {"Content-Type": content_type, **kw.pop("headers", {})}
    return Reply(200, text.encode(charset or "utf-8"), headers, **kw)


def test_fetch_returns_final_url_status_bytes_text_and_validators(server, client):
    url = server.serve(
        "/post",
        html_reply(headers={"ETag": '"v1"', "Last-Modified": LAST_MODIFIED}),
    )
    result = fetch(url, client=client)
    assert result.url == url
    assert result.status == 200
    assert result.content == PAGE.encode()
    assert result.text == PAGE
    assert result.content_type == "text/html"
    assert result.etag == '"v1"'
    assert result.last_modified == LAST_MODIFIED
    assert result.not_modified is False


def test_fetch_sends_a_descriptive_user_agent(server, client):
    url = server.serve("/post", html_reply())
    fetch(url, client=client)
    agent = server.requests[-1].headers["user-agent"]
    assert agent == USER_AGENT
    assert agent.startswith("distributor/")


def test_fetch_with_a_matching_etag_reports_not_modified(server, client):
    def conditional(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", {"ETag": '"v1"'})
        return html_reply(headers={"ETag": '"v1"'})

    url = server.serve("/feed", conditional)
    first = fetch(url, client=client)
    second = fetch(url, client=client, etag=first.etag)
    assert first.not_modified is False
    assert second.not_modified is True
    assert second.status == 304
    assert second.content == b""
    assert second.etag == '"v1"'


def test_fetch_with_last_modified_sends_if_modified_since(server, client):
    def conditional(headers: dict[str, str]) -> Reply:
        if headers.get("if-modified-since") == LAST_MODIFIED:
            return Reply(304, b"", {"Last-Modified": LAST_MODIFIED})
        return html_reply(headers={"Last-Modified": LAST_MODIFIED})

    url = server.serve("/feed", conditional)
    result = fetch(url, client=client, last_modified=LAST_MODIFIED)
    assert result.not_modified is True
    assert result.last_modified == LAST_MODIFIED
    assert server.requests[-1].headers["if-modified-since"] == LAST_MODIFIED


def test_fetch_without_validators_sends_no_conditional_headers(server, client):
    url = server.serve("/feed", html_reply())
    fetch(url, client=client)
    sent = server.requests[-1].headers
    assert "if-none-match" not in sent
    assert "if-modified-since" not in sent


@pytest.mark.parametrize("status", [404, 410])
def test_a_missing_page_is_a_permanent_not_found_error(server, client, status):
    url = server.serve("/gone", Reply(status, b"gone"))
    with pytest.raises(FetchError) as caught:
        fetch(url, client=client)
    assert isinstance(caught.value, UserError)
    assert "not found" in caught.value.message
    assert caught.value.temporary is False
    assert caught.value.status == status
    assert caught.value.hint


def test_other_client_errors_are_permanent(server, client):
    url = server.serve("/private", Reply(403, b"no"))
    with pytest.raises(FetchError) as caught:
        fetch(url, client=client)
    assert caught.value.temporary is False
    assert "403" in caught.value.message


def test_too_many_requests_is_temporary_with_the_servers_delay(server, client):
    url = server.serve("/busy", Reply(429, b"slow down", {"Retry-After": "120"}))
    with pytest.raises(FetchError) as caught:
        fetch(url, client=client)
    assert caught.value.temporary is True
    assert caught.value.retry_after == 120.0
    assert "429" in caught.value.message


def test_service_unavailable_with_an_http_date_retry_after(server, client):
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    url = server.serve("/down", Reply(503, b"maintenance", {"Retry-After": later}))
    with pytest.raises(FetchError) as caught:
        fetch(url, client=client)
    assert caught.value.temporary is True
    assert 80 <= caught.value.retry_after <= 90


def test_a_server_error_without_retry_after_is_temporary(server, client):
    url = server.serve("/broken", Reply(500, b"oops"))
    with pytest.raises(FetchError) as caught:
        fetch(url, client=client)
    assert caught.value.temporary is True
    assert caught.value.retry_after is None


def test_retry_after_parses_both_forms_and_ignores_nonsense():
    now = datetime(2024, 9, 11, 8, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30.0
    assert parse_retry_after("Wed, 11 Sep 2024 08:01:00 GMT", now) == 60.0
    assert parse_retry_after("Wed, 11 Sep 2024 07:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_a_slow_server_times_out_as_a_temporary_error(server, client):
    url = server.serve("/slow", html_reply(delay=2.0))
    with pytest.raises(FetchError) as caught:
        fetch(url, client=client, timeout=0.3)
    assert caught.value.temporary is True
    assert "did not answer" in caught.value.message


def test_a_trickling_body_is_cut_off_at_the_overall_timeout(server, client):
    url = server.serve("/trickle", html_reply("x" * 40_000, trickle=0.05))
    with pytest.raises(FetchError) as caught:
        fetch(url, client=client, timeout=0.5)
    assert caught.value.temporary is True


def test_a_body_past_the_size_cap_is_refused(server, client):
    url = server.serve("/huge", html_reply("<p>" + "a" * 200_000 + "</p>"))
    with pytest.raises(FetchError) as caught:
        fetch(url, client=client, max_bytes=100_000)
    assert caught.value.temporary is False
    assert "larger than" in caught.value.message


def test_a_streamed_body_without_length_is_cut_at_the_cap(server, client):
    body = gzip.compress(b"a" * 500_000)  # small on the wire, large once decoded
    url = server.serve(
        "/bomb",
        Reply(200, body, {"Content-Type": "text/html", "Content-Encoding": "gzip"}),
    )
    with pytest.raises(FetchError, match="larger than"):
        fetch(url, client=client, max_bytes=100_000)


def test_redirects_are_followed_to_the_final_url(server, client):
    final = server.serve("/new", html_reply())
    server.serve("/old", Reply(301, b"", {"Location": "/new"}))
    result = fetch(server.url("/old"), client=client)
    assert result.url == final
    assert result.text == PAGE


def test_a_redirect_loop_is_a_clear_error(server, client):
    server.serve("/a", Reply(302, b"", {"Location": "/b"}))
    server.serve("/b", Reply(302, b"", {"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect"):
        fetch(server.url("/a"), client=client)


def test_a_refused_connection_is_temporary(client):
    closed = LocalServer()
    url = closed.url("/post")
    closed.stop()
    with pytest.raises(FetchError) as caught:
        fetch(url, client=client)
    assert caught.value.temporary is True
    assert "could not connect" in caught.value.message


def test_an_unknown_host_says_host_not_found(client):
    with pytest.raises(FetchError) as caught:
        fetch("http://no-such-host.invalid/post", client=client)
    assert "host not found" in caught.value.message


def test_a_tls_failure_is_a_clear_error(server, client):
    https_url = server.base_url.replace("http://", "https://") + "/post"
    with pytest.raises(FetchError) as caught:
        fetch(https_url, client=client)
    assert "TLS" in caught.value.message


def test_a_non_http_address_is_refused(client):
    with pytest.raises(FetchError, match="not a valid web address"):
        fetch("ftp://example.org/post", client=client)


def test_text_uses_the_http_charset(server, client):
    url = server.serve("/latin", html_reply("<p>Kinésithérapie à Gent</p>", charset="latin-1"))
    assert "Kinésithérapie à Gent" in fetch(url, client=client).text


def test_text_uses_the_meta_charset_when_http_gives_none(server, client):
    page = '<html><head><meta charset="windows-1252"></head><body><p>Ça va — très bien</p>'
    url = server.serve(
        "/meta", Reply(200, page.encode("windows-1252"), {"Content-Type": "text/html"})
    )
    assert "Ça va — très bien" in fetch(url, client=client).text


def test_utf8_bytes_win_over_a_wrong_latin1_declaration(server, client):
    page = '<meta charset="iso-8859-1"><p>Geüpdatete oefeningen voor je knieën</p>'
    url = server.serve(
        "/wrong",
        Reply(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=iso-8859-1"}),
    )
    assert "Geüpdatete oefeningen voor je knieën" in fetch(url, client=client).text


def test_an_unknown_declared_charset_falls_back_to_windows_1252():
    text = "<p>Élève, hôpital, forêt: les séances de kinésithérapie reprennent.</p>" * 5
    decoded = decode_body(text.encode("latin-1"), "text/html; charset=x-no-such-charset")
    assert "kinésithérapie" in decoded


def test_a_utf8_byte_order_mark_is_dropped():
    assert decode_body("\ufeff<p>hallo</p>".encode()) == "<p>hallo</p>"


def test_a_client_without_redirects_enabled_still_follows_them(server):
    server.serve("/new", html_reply())
    server.serve("/old", Reply(308, b"", {"Location": "/new"}))
    with httpx.Client() as bare:
        assert fetch(server.url("/old"), client=bare).url.endswith("/new")
