"""Polling: each new post found once, edits noticed, failures stored and backed off.

A real HTTP server on loopback serves the feeds; every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from distributor.pipeline.poll.polling import poll_due, poll_source, poll_sources
from distributor.pipeline.poll.record import backoff_seconds
from distributor.store import queries
from tests.pipeline.poll_support import entry

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def add(session, url: str, kind: str = "feed", interval: int = 900) -> int:
    source = queries.add_source(session, kind=kind, target=url, now=NOW, poll_interval_s=interval)
    session.commit()
    return source.id


def states(session, source_id: int) -> dict[str, str]:
    return {p.guid: p.state for p in queries.list_posts(session, source_id)}


def test_the_first_poll_records_what_is_there_without_marking_it_new(session, blog, client):
    source_id = add(session, blog.feed("/feed", [entry(1), entry(2), entry(3)]))
    result = poll_source(session, source_id, client=client, now=NOW)
    assert (result.new, result.edited, result.error) == ([], [], None)
    assert result.as_json()["unchanged"] == 3
    assert set(states(session, source_id).values()) == {"baseline"}
    source = queries.get_source(session, source_id)
    assert source.baselined
    assert source.name == "Praktijk blog"  # the feed's own title, as none was given


def test_a_post_published_after_the_baseline_is_new_exactly_once(session, blog, client):
    url = blog.feed("/feed", [entry(1), entry(2)])
    source_id = add(session, url)
    poll_source(session, source_id, client=client, now=NOW)
    blog.feed("/feed", [entry(1), entry(2), entry(3)])
    result = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=1))
    again = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=2))
    assert len(result.new) == 1
    assert (again.new, again.edited) == ([], [])
    post = queries.get_post(session, result.new[0])
    assert (post.guid, post.state) == ("urn:post:3", "new")
    assert post.digest["title"] == "Oefeningen bij rugpijn, deel 3"
    assert post.digest["language"] == "nl"
    assert post.digest["slug"]
    assert [e.post_id for e in queries.events(session, "post_new")] == result.new


def test_backfill_makes_the_newest_posts_of_the_first_poll_new(session, blog, client):
    source_id = add(session, blog.feed("/feed", [entry(n) for n in range(1, 6)]))
    result = poll_source(session, source_id, client=client, now=NOW, backfill=2)
    assert len(result.new) == 2
    assert states(session, source_id) == {
        "urn:post:1": "baseline",
        "urn:post:2": "baseline",
        "urn:post:3": "baseline",
        "urn:post:4": "new",
        "urn:post:5": "new",
    }


def test_an_unchanged_feed_is_fetched_conditionally_and_answers_304(session, blog, client):
    source_id = add(session, blog.feed("/feed", [entry(1)]))
    poll_source(session, source_id, client=client, now=NOW)
    result = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=1))
    assert result.not_modified
    assert blog.statuses("/feed") == [200, 304]
    assert len(queries.list_posts(session, source_id)) == 1


def test_a_substantial_edit_is_an_edit_event_not_a_new_post(session, blog, client):
    source_id = add(session, blog.feed("/feed", [entry(1), entry(2)]))
    poll_source(session, source_id, client=client, now=NOW)
    rewritten = entry(2, body="<p>Volledig herschreven: " + "nieuwe oefeningen " * 60 + "</p>")
    blog.feed("/feed", [entry(1), rewritten])
    result = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=1))
    assert result.new == []
    assert len(result.edited) == 1
    post = queries.get_post(session, result.edited[0])
    assert post.state == "edited"
    assert "herschreven" in post.body
    assert post.digest is not None
    assert len(queries.list_posts(session, source_id)) == 2
    [event] = queries.events(session, "post_edited")
    assert event.post_id == post.id


def test_a_typo_fix_is_not_an_edit(session, blog, client):
    source_id = add(session, blog.feed("/feed", [entry(1)]))
    poll_source(session, source_id, client=client, now=NOW)
    fixed = entry(1)
    fixed.body = fixed.body.replace("volwassenen", "volwassen", 1)
    blog.feed("/feed", [fixed])
    result = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=1))
    assert (result.new, result.edited, result.unchanged) == ([], [], 1)
    assert queries.events(session, "post_edited") == []


def test_a_feed_that_changes_its_guids_records_each_post_once(session, blog, client):
    source_id = add(session, blog.feed("/feed", [entry(1), entry(2)]))
    poll_source(session, source_id, client=client, now=NOW)
    for round_ in range(3):
        renamed = [entry(1), entry(2)]
        for item in renamed:
            item.guid = f"{item.guid}?session={round_}"
        blog.feed("/feed", renamed)
        result = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=round_))
        assert (result.new, result.edited, result.unchanged) == ([], [], 2)
    assert len(queries.list_posts(session, source_id)) == 2


def test_too_many_requests_stores_the_error_and_waits_as_asked(session, blog, client):
    url = blog.feed("/feed", [entry(1)], status=429, headers={"Retry-After": "7200"})
    source_id = add(session, url)
    result = poll_source(session, source_id, client=client, now=NOW)
    assert "429" in result.error
    source = queries.get_source(session, source_id)
    assert (source.failures, source.error) == (1, result.error)
    assert source.next_poll_at == NOW + timedelta(seconds=7200)
    waiting = poll_source(session, source_id, client=client, now=NOW + timedelta(minutes=30))
    assert waiting.error.startswith("the server asked to wait until")
    assert blog.statuses("/feed") == [429]
    assert queries.due_sources(session, NOW + timedelta(minutes=30)) == []


def test_failures_back_off_exponentially_and_success_resets(session, blog, client):
    source_id = add(session, blog.feed("/feed", [entry(1)], status=503), interval=600)
    now = NOW
    for failures in (1, 2, 3):
        poll_source(session, source_id, client=client, now=now, force=True)
        source = queries.get_source(session, source_id)
        assert source.failures == failures
        assert source.next_poll_at == now + timedelta(seconds=600 * 2 ** (failures - 1))
        now = source.next_poll_at
    blog.feed("/feed", [entry(1)])
    assert poll_source(session, source_id, client=client, now=now).error is None
    source = queries.get_source(session, source_id)
    assert (source.failures, source.error) == (0, None)
    assert source.next_poll_at == now + timedelta(seconds=600)
    assert backoff_seconds(30, 900) == 24 * 3600


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"<rss><channel><item><title>kapot", "application/rss+xml", "feed"),
        (b"<!DOCTYPE html><html><body><p>Welkom</p></body></html>", "text/html", "feed"),
        (b"\x00\x01 not xml at all", "application/xml", "feed"),
    ],
    ids=["malformed", "html", "garbage"],
)
def test_a_broken_feed_is_a_stored_error_and_recorded_posts_stay(
    session, blog, client, body, content_type, expected
):
    source_id = add(session, blog.feed("/feed", [entry(1), entry(2)]))
    poll_source(session, source_id, client=client, now=NOW)
    blog.routes["/feed"].body = body
    blog.routes["/feed"].content_type = content_type
    result = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=1))
    assert result.error and expected in result.error.lower()
    assert queries.get_source(session, source_id).error == result.error
    assert len(queries.list_posts(session, source_id)) == 2


def test_a_slow_source_times_out_and_the_others_still_poll(session, blog, client):
    slow = add(session, blog.feed("/slow", [entry(1)], delay=1.5))
    dead = add(session, "http://127.0.0.1:9/feed")
    fine = add(session, blog.feed("/fine", [entry(2)]))
    results = poll_sources(session, client=client, now=NOW, timeout=0.5)
    by_id = {r.id: r for r in results}
    assert "did not answer" in by_id[slow].error
    assert "could not connect" in by_id[dead].error
    assert by_id[fine].error is None
    assert [s.error is None for s in queries.list_sources(session)] == [False, False, True]
    assert states(session, fine) == {"urn:post:2": "baseline"}


def test_only_due_sources_are_polled_on_schedule(session, blog, client):
    first = add(session, blog.feed("/a", [entry(1)]))
    second = add(session, blog.feed("/b", [entry(2)]), interval=3600)
    poll_sources(session, client=client, now=NOW)
    later = NOW + timedelta(minutes=20)
    assert [r.id for r in poll_sources(session, client=client, now=later, due_only=True)] == [first]
    assert queries.get_source(session, second).last_polled_at == NOW


def test_a_redirect_loop_is_a_stored_error(session, blog, client):
    url = blog.feed("/loop", [], status=302, headers={"Location": "/loop"})
    source_id = add(session, url)
    result = poll_source(session, source_id, client=client, now=NOW)
    assert "redirect" in result.error
    assert queries.get_source(session, source_id).failures == 1


def test_a_failed_source_waits_for_the_scheduler_but_a_manual_poll_retries_it(
    session, blog, client
):
    source_id = add(session, blog.feed("/feed", [entry(1)], status=503))
    poll_source(session, source_id, client=client, now=NOW)
    blog.feed("/feed", [entry(1)])
    soon = NOW + timedelta(minutes=5)
    assert poll_due(session, client=client, now=soon) == []
    [manual] = poll_sources(session, client=client, now=soon)
    assert manual.error is None
    assert blog.statuses("/feed") == [503, 200]


def test_a_tls_failure_is_a_stored_error_that_says_so(session, blog, client):
    https_url = blog.feed("/feed", [entry(1)]).replace("http://", "https://")
    source_id = add(session, https_url)
    result = poll_source(session, source_id, client=client, now=NOW)
    assert "TLS" in result.error
    assert "TLS" in queries.get_source(session, source_id).error
