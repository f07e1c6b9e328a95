"""Item 3: one deadline per fetch covers connecting, headers, body and redirects.

The server answers at once but trickles one header line every 0.3 s for 9 s: a read timeout
per line never fires, the fetch's own deadline must.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from distributor.pipeline.poll.polling import poll_sources
from distributor.sources.fetch import FetchError, fetch
from distributor.store import queries
from tests.httpserver import Reply
from tests.pipeline.poll_support import entry, rss

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_headers_dripped_slowly_end_at_the_fetch_deadline(drip, client):
    with pytest.raises(FetchError, match="did not answer within 2 s"):
        fetch(drip.url, client=client, timeout=2)
    drip.stop()
    assert drip.completed == 0  # the client hung up long before the last header line


def test_a_dripping_source_gets_its_error_and_the_next_source_is_still_polled(
    session, drip, site, client
):
    slow = queries.add_source(session, kind="feed", target=drip.url, now=NOW)
    feed = rss([entry(1), entry(2)])
    good_url = site.serve("/feed", Reply(200, feed, {"Content-Type": "application/rss+xml"}))
    good = queries.add_source(session, kind="feed", target=good_url, now=NOW)
    session.commit()
    slow_result, good_result = poll_sources(
        session, client=client, now=NOW, source_ids=[slow.id, good.id], timeout=2
    )
    assert "did not answer within 2 s" in slow_result.error
    assert good_result.error is None and good_result.baseline == 2
    drip.stop()
    assert drip.completed == 0
