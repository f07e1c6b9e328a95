"""Property: polling unchanged sources any number of times, in any order, from two processes
at once, records each post exactly once (unique keys and insert-or-ignore, not luck)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from distributor.pipeline.poll.polling import poll_source
from distributor.store import queries
from distributor.store.tables import Post
from tests.conftest import REPO
from tests.pipeline.poll_support import BlogServer, entry

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FEEDS = {"/a": [1, 2, 3], "/b": [4, 5], "/c": [6, 7, 8, 9]}


@pytest.fixture
def blog() -> Iterator[BlogServer]:
    server = BlogServer()
    for path, numbers in FEEDS.items():
        server.feed(path, [entry(n) for n in numbers])
    yield server
    server.stop()


def recorded_guids(session) -> Counter[tuple[int, str]]:
    counts = Counter(tuple(row) for row in session.execute(select(Post.source_id, Post.guid)))
    session.rollback()  # on SQLite an open transaction holds the write lock
    return counts


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(order=st.lists(st.sampled_from(sorted(FEEDS)), min_size=1, max_size=8))
def test_polling_in_any_order_any_number_of_times_records_each_post_once(
    session, blog, client, order
):
    ids = {}
    for path in FEEDS:
        url = blog.url(path)
        known = [s for s in queries.list_sources(session) if s.target == url]
        ids[path] = known[0].id if known else _add(session, url)
    for step, path in enumerate(order):
        when = NOW + timedelta(minutes=step)
        result = poll_source(session, ids[path], client=client, now=when, force=True)
        assert (result.new, result.edited, result.error) == ([], [], None)
    counts = recorded_guids(session)
    assert set(counts.values()) <= {1}
    polled = {ids[path] for path in order}
    assert {source for source, _ in counts} >= polled
    for path in order:
        assert sum(1 for s, _ in counts if s == ids[path]) == len(FEEDS[path])


def _add(session, url: str) -> int:
    source = queries.add_source(session, kind="feed", target=url, now=NOW)
    session.commit()
    return source.id


def poll_in_two_processes(database_url: str) -> list[dict]:
    env = os.environ | {"DISTRIBUTOR_DATABASE_URL": database_url, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "distributor", "poll", "--force", "--json"]
    runs = [
        subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
        outputs.append(json.loads(out))
    return outputs


def test_two_processes_polling_at_once_record_each_post_once(database_url, engine, session, blog):
    for path in FEEDS:
        _add(session, blog.url(path))
        blog.routes[path].delay = 0.4  # each poll takes long enough for the two to overlap
    for output in poll_in_two_processes(database_url):  # both baseline at once
        assert all(s["new"] == [] and s["error"] is None for s in output["sources"])
    assert set(recorded_guids(session).values()) == {1}
    blog.feed("/a", [entry(n) for n in (1, 2, 3, 10, 11)], delay=0.4)
    blog.feed("/c", [entry(n) for n in (6, 7, 8, 9, 12)], delay=0.4)
    reported = [
        post_id
        for output in poll_in_two_processes(database_url)
        for source in output["sources"]
        for post_id in source["new"]
    ]
    counts = recorded_guids(session)
    assert set(counts.values()) == {1}
    assert len(counts) == sum(len(n) for n in FEEDS.values()) + 3
    new_posts = [p for p in queries.list_posts(session) if p.state == "new"]
    assert sorted(reported) == sorted(p.id for p in new_posts)
    assert sorted(p.guid for p in new_posts) == ["urn:post:10", "urn:post:11", "urn:post:12"]
