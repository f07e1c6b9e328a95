"""Item 6: NUL and other control characters are stripped when text is read; a bad item or row is
skipped by its position; errors never print other subscribers' data. SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from distributor.pipeline.poll.polling import poll_source
from distributor.store import queries
from distributor.store.db import session_factory
from distributor.store.tables import Subscriber
from tests.httpserver import Reply
from tests.pipeline.poll_support import entry, rss

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_a_nul_in_one_feed_item_costs_nothing_and_is_stripped(session, site, client):
    poisoned = entry(2)
    poisoned.title = "Rug\x00pijn\x07 en \x1b[31mhernia\x1b[0m"
    poisoned.body = poisoned.body.replace("Rugpijn", "Rug\x00pijn")
    feed = rss([entry(1), poisoned, entry(3)]).replace(b"Rug&#0;", b"Rug\x00")
    url = site.serve("/feed", Reply(200, feed, {"Content-Type": "application/rss+xml"}))
    source = queries.add_source(session, kind="feed", target=url, now=NOW)
    session.commit()
    result = poll_source(session, source.id, client=client, now=NOW, backfill=3)
    assert result.error is None
    posts = {p.guid: p for p in queries.list_posts(session, source.id)}
    assert set(posts) == {"urn:post:1", "urn:post:2", "urn:post:3"}
    assert posts["urn:post:2"].title == "Rugpijn en hernia"
    assert "\x00" not in posts["urn:post:2"].body


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "distributor", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_nul_in_one_csv_name_neither_aborts_the_import_nor_prints_other_rows(
    database_url, tmp_path: Path
):
    csv = tmp_path / "lezers.csv"
    csv.write_bytes(
        b"email,name,language\n"
        b"an@example.org,An Peeters,nl\n"
        b"bert@example.org,Bert\x00 De\x1b[2J Smet,nl\n"
        b'"carl@example.org,"Carl "quoted" wrong,nl\n'
        b"dirk@example.org,Dirk Claes,fr\n"
    )
    env = {"DISTRIBUTOR_DATABASE_URL": database_url, "DISTRIBUTOR_DATA_DIR": str(tmp_path)}
    env |= {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run_cli("db", "upgrade", env=env)
    done = run_cli("subscribers", "import", str(csv), "--confirmed", env=env)
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert "imported 3 subscriber(s)" in output
    assert "line 4:" in output  # the one unreadable row, by its position
    assert "an@example.org" not in output and "dirk@example.org" not in output
    from distributor.store.db import open_database

    engine = open_database(database_url)
    with session_factory(engine)() as session:
        names = dict(session.execute(select(Subscriber.email, Subscriber.name)).all())
    engine.dispose()
    assert names["bert@example.org"] == "Bert De Smet"
    assert set(names) == {"an@example.org", "bert@example.org", "dirk@example.org"}


def test_a_nul_in_an_item_of_a_later_poll_still_records_that_post(session, site, client):
    feed = rss([entry(1)])
    url = site.serve("/feed", Reply(200, feed, {"Content-Type": "application/rss+xml"}))
    source = queries.add_source(session, kind="feed", target=url, now=NOW)
    session.commit()
    poll_source(session, source.id, client=client, now=NOW)
    later = entry(2)
    later.title = "Nul\x00byte"
    site.serve("/feed", Reply(200, rss([entry(1), later]), {}))
    result = poll_source(session, source.id, client=client, now=NOW + timedelta(hours=1))
    assert len(result.new) == 1 and result.error is None
