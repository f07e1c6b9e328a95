"""Item 9: one poll announces at most DISTRIBUTOR_MAX_NEW_POSTS_PER_POLL (default 5) new posts
per source; the rest are recorded as already there and the source says so."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta

from distributor.cli import main
from distributor.config import Settings
from distributor.pipeline.poll.polling import poll_source
from distributor.store import queries
from tests.httpserver import Reply
from tests.pipeline.poll_support import entry, rss

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FEED_TYPE = {"Content-Type": "application/rss+xml"}


def test_a_flood_of_new_items_makes_only_the_newest_five_new(session, site, client):
    url = site.serve("/feed", Reply(200, rss([entry(1)]), FEED_TYPE))
    source = queries.add_source(session, kind="feed", target=url, now=NOW)
    session.commit()
    poll_source(session, source.id, client=client, now=NOW)
    site.serve("/feed", Reply(200, rss([entry(n) for n in range(1, 14)]), FEED_TYPE))
    result = poll_source(session, source.id, client=client, now=NOW + timedelta(hours=1))
    assert Settings().max_new_posts_per_poll == 5
    new = {queries.get_post(session, post_id).guid for post_id in result.new}
    assert new == {f"urn:post:{n}" for n in range(9, 14)}
    assert result.baseline == 7
    warning = queries.get_source(session, source.id).warning
    assert "12 new posts in one poll: the newest 5 are new, 7 were recorded" in warning


def test_the_cap_is_a_setting_and_the_poll_command_shows_the_warning(
    database_url, site, monkeypatch, capsys
):
    monkeypatch.setenv("DISTRIBUTOR_DATABASE_URL", database_url)
    monkeypatch.setenv("DISTRIBUTOR_MAX_NEW_POSTS_PER_POLL", "2")

    def run(*args: str) -> str:
        monkeypatch.setattr(sys, "argv", ["distributor", *args])
        try:
            main()
        except SystemExit as exc:
            assert not exc.code, capsys.readouterr()
        return capsys.readouterr().out

    url = site.serve("/feed", Reply(200, rss([entry(1)]), FEED_TYPE))
    run("sources", "add", url)
    run("poll")
    site.serve("/feed", Reply(200, rss([entry(n) for n in range(1, 6)]), FEED_TYPE))
    answer = json.loads(run("poll", "--json"))
    assert len(answer["sources"][0]["new"]) == 2
    listed = json.loads(run("sources", "list", "--json"))
    assert "the newest 2 are new, 2 were recorded" in listed[0]["warning"]
