"""Poll benchmark: 500 feeds x 20 entries served from loopback by a separate process.

Measures, on SQLite and PostgreSQL: the first poll (fetch, parse, baseline 10,000 posts),
the second poll of the unchanged feeds (conditional GET: 304s) as a ratio of the first
(goal <= 0.2), and a third poll after one new entry appeared in every feed (500 new posts,
each completed and digested). Run: .venv/bin/python benchmarks/poll.py [--feeds N]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import sqlalchemy

from distributor.pipeline.poll.polling import poll_sources
from distributor.sources.feed import parse_feed
from distributor.sources.fetch import fetch, make_client
from distributor.store import db, queries

ENTRIES = 20
PARAGRAPH = (
    "Rugpijn is een van de meest voorkomende klachten bij volwassenen. De kinesist onderzoekt "
    "eerst hoe je beweegt, welke houdingen de pijn uitlokken en wat je dagelijks doet. "
)
PG_SERVER = os.environ.get(
    "DISTRIBUTOR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def feed_xml(feed: int, extra: int) -> bytes:
    """Feed number `feed`: ENTRIES posts, plus `extra` newer ones."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items = []
    for n in range(ENTRIES + extra):
        published = format_datetime(start + timedelta(days=n))
        body = "".join(f"&lt;p&gt;{PARAGRAPH} ({feed}.{n}.{i})&lt;/p&gt;" for i in range(5))
        items.append(
            f"<item><title>Bericht {n} van blog {feed}</title>"
            f"<link>http://blog{feed}.example/{n}</link><guid>urn:{feed}:{n}</guid>"
            f"<pubDate>{published}</pubDate><description>{body}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Blog {feed}</title><link>http://blog{feed}.example/</link>"
        f"<description>d</description>{''.join(reversed(items))}</channel></rss>"
    ).encode()


def serve(port_queue: multiprocessing.Queue, extra: multiprocessing.Value) -> None:
    """Serve /feed/N with ETags (304 on a match) until killed."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = feed_xml(int(self.path.rsplit("/", 1)[1]), extra.value)
            tag = '"' + hashlib.sha1(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", tag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


def fetch_and_parse_only(base_url: str, feeds: int) -> float:
    """Baseline: download and parse every feed, recording nothing (what any poller must do)."""
    started = time.perf_counter()
    with make_client() as client:
        for n in range(feeds):
            result = fetch(f"{base_url}/feed/{n}", client=client)
            assert len(parse_feed(result.content, result.url).entries) == ENTRIES
    return time.perf_counter() - started


def timed_poll(session, client, now: datetime) -> tuple[float, list]:
    started = time.perf_counter()
    results = poll_sources(session, client=client, now=now)
    return time.perf_counter() - started, results


def run(database_url: str, base_url: str, feeds: int, extra) -> dict[str, float]:
    """The three polls on one database; figures in seconds and posts/s."""
    extra.value = 0
    engine = db.open_database(database_url)
    now = datetime.now(UTC)
    with db.session_factory(engine)() as session, make_client() as client:
        for n in range(feeds):
            queries.add_source(session, kind="feed", target=f"{base_url}/feed/{n}", now=now)
        session.commit()
        first, results = timed_poll(session, client, now)
        assert all(r.error is None for r in results), [r.error for r in results if r.error][:3]
        second, results = timed_poll(session, client, now + timedelta(hours=1))
        assert all(r.not_modified for r in results)
        extra.value = 1
        third, results = timed_poll(session, client, now + timedelta(hours=2))
        assert sum(len(r.new) for r in results) == feeds
    engine.dispose()
    return {"first": first, "second": second, "third": third}


def postgresql_database() -> tuple[str, sqlalchemy.Engine, str]:
    admin = sqlalchemy.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    name = f"distributor_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sqlalchemy.engine.make_url(PG_SERVER).set(database=name).render_as_string(False)
    return url, admin, name


def report(label: str, feeds: int, figures: dict[str, float], baseline: float) -> None:
    first, second, third = figures["first"], figures["second"], figures["third"]
    posts = feeds * ENTRIES
    print(
        f"{label:<10} first poll {first:6.2f} s ({posts / first:6.0f} posts/s,"
        f" {first / baseline:.2f}x fetch+parse)"
        f" | second (304s) {second:5.2f} s, ratio {second / first:.3f}"
        f" | {feeds} new posts with digest {third:5.2f} s ({feeds / third:5.0f} posts/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=500)
    args = parser.parse_args()
    ports: multiprocessing.Queue = multiprocessing.Queue()
    extra = multiprocessing.Value("i", 0)
    server = multiprocessing.Process(target=serve, args=(ports, extra), daemon=True)
    server.start()
    base_url = f"http://127.0.0.1:{ports.get(timeout=10)}"
    print(f"poll benchmark: {args.feeds} feeds x {ENTRIES} entries, server in its own process")
    baseline = fetch_and_parse_only(base_url, args.feeds)
    print(
        f"baseline   fetch + parse only {baseline:6.2f} s "
        f"({args.feeds * ENTRIES / baseline:6.0f} entries/s), nothing recorded"
    )
    try:
        with tempfile.TemporaryDirectory() as folder:
            sqlite_url = f"sqlite:///{Path(folder) / 'bench.db'}"
            report("SQLite", args.feeds, run(sqlite_url, base_url, args.feeds, extra), baseline)
        url, admin, name = postgresql_database()
        try:
            report("PostgreSQL", args.feeds, run(url, base_url, args.feeds, extra), baseline)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
