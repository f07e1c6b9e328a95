"""Item 1: links found inside a source reach only public addresses or the source's own site.

The source itself sits on loopback (the admin may add any address); a second loopback server
stands for the internal network. Checked after DNS resolution and at every redirect hop.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta

import pytest

from distributor.channels.bluesky import Bluesky
from distributor.pipeline.poll.polling import poll_source
from distributor.sources.address_guard import is_public
from distributor.sources.fetch import LinkRefused, fetch
from distributor.store import queries
from tests.channels.conftest import fixed_now, live_settings, make_snippet
from tests.httpserver import Reply
from tests.pipeline.poll_support import Entry, rss

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SECRET_PAGE = (
    "<html><head><title>Router admin: password hunter2</title></head><body><article>"
    + "<p>Internal configuration page with secrets that must never be mailed out. </p>" * 30
    + "</article></body></html>"
)


def excerpt_entry(number: int, link: str) -> Entry:
    """A feed item that carries only a short excerpt, so its page would be fetched."""
    return Entry(
        guid=f"urn:post:{number}",
        title=f"Nieuw bericht {number}",
        body="<p>Kort uittreksel […]</p>",
        link=link,
        published=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(days=number),
    )


def poll_new_item(session, site, client, link: str):
    """Baseline the source, then publish one excerpt linking to `link` and poll again."""
    site.serve("/feed", Reply(200, rss([]), {"Content-Type": "application/rss+xml"}))
    source = queries.add_source(session, kind="feed", target=site.url("/feed"), now=NOW)
    session.commit()
    poll_source(session, source.id, client=client, now=NOW)
    feed = rss([excerpt_entry(1, link)])
    site.serve("/feed", Reply(200, feed, {"Content-Type": "application/rss+xml"}))
    result = poll_source(session, source.id, client=client, now=NOW + timedelta(hours=1))
    return source.id, result


def test_a_feed_link_to_an_internal_host_is_not_fetched_and_is_reported(
    session, site, internal, client
):
    internal.serve("/admin", Reply(200, SECRET_PAGE.encode(), {"Content-Type": "text/html"}))
    source_id, result = poll_new_item(session, site, client, internal.url("/admin"))
    assert internal.requests == []
    [post_id] = result.new
    post = queries.get_post(session, post_id)
    assert "hunter2" not in post.title + post.body
    assert post.body == "<p>Kort uittreksel […]</p>"  # kept as the feed carried it
    warning = queries.get_source(session, source_id).warning
    assert warning.startswith(f"link to a private address skipped: {internal.url('/admin')}")


def test_a_link_on_the_site_that_redirects_inside_is_refused_at_that_hop(site, internal, client):
    internal.serve("/latest/meta-data/", Reply(200, b"iam-credentials", {}))
    hop = site.serve("/go", Reply(302, b"", {"Location": internal.url("/latest/meta-data/")}))
    with pytest.raises(LinkRefused, match="link to a private address skipped"):
        fetch(hop, client=client, trusted_origin=site.url("/feed"))
    assert [r.path for r in site.requests] == ["/go"]
    assert internal.requests == []


def test_a_host_name_is_judged_by_the_address_it_resolves_to(site, internal, client):
    by_name = internal.url("/admin").replace("127.0.0.1", "localhost")
    with pytest.raises(LinkRefused, match=r"localhost resolves to (127\.0\.0\.1|::1)"):
        fetch(by_name, client=client, trusted_origin=site.url("/feed"))
    assert internal.requests == []


def test_links_on_the_sources_own_site_are_still_followed(site, client):
    url = site.serve("/blog/1", Reply(200, SECRET_PAGE.encode(), {"Content-Type": "text/html"}))
    assert fetch(url, client=client, trusted_origin=site.url("/feed")).status == 200


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "64:ff9b::a9fe:a9fe",
    ],
)
def test_internal_addresses_in_every_form_are_not_public(address):
    assert not is_public(ipaddress.ip_address(address))


def test_public_addresses_are_public():
    assert is_public(ipaddress.ip_address("93.184.216.34"))
    assert is_public(ipaddress.ip_address("2606:4700:4700::1111"))


def test_bluesky_does_not_fetch_a_lead_image_on_an_internal_host(internal, bluesky_api, tmp_path):
    internal.serve(
        "/lead.jpg", Reply(200, b"\xff\xd8\xff\xe0secret", {"Content-Type": "image/jpeg"})
    )
    settings = live_settings(
        tmp_path, bluesky_url=bluesky_api.url, site_url="https://praktijk.example"
    )
    channel = Bluesky(settings, now=fixed_now)
    receipt = channel.send(make_snippet("bluesky", image=internal.url("/lead.jpg")))
    channel.close()
    assert receipt.ok, receipt.error
    assert internal.requests == []
