"""Item 4: post and image URLs are kept only as absolute http(s) when a source is read."""

from __future__ import annotations

import json

from distributor.pipeline.poll.gather import SourceRef, read_source
from distributor.sources.load import load_post
from tests.httpserver import Reply

ARTICLE = (
    "<p>" + "Rugpijn verdwijnt vaak vanzelf als je blijft bewegen en rustig opbouwt. " * 8 + "</p>"
)
RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Blog</title>
<link>https://praktijk.example/</link><description>b</description>
<item><title>Klik</title><link>javascript:alert(document.cookie)</link><guid>a</guid>
<media:content url="data:image/svg+xml;base64,PHN2Zz4=" medium="image"/>
<description><![CDATA[{ARTICLE}]]></description></item>
<item><title>Relatief</title><link>/blog/relatief</link><guid>b</guid>
<media:content url="/img/lead.jpg" medium="image"/>
<description><![CDATA[{ARTICLE}]]></description></item>
</channel></rss>""".encode()


def test_a_feed_items_script_link_and_data_image_are_dropped(site, client):
    url = site.serve("/feed", Reply(200, RSS, {"Content-Type": "application/rss+xml"}))
    hostile, relative = read_source(SourceRef(1, "feed", url), client).posts
    assert (hostile.url, hostile.image) == (None, None)
    assert relative.url == site.url("/blog/relatief")
    assert relative.image == site.url("/img/lead.jpg")


def test_a_json_feed_url_and_image_must_be_http(site, client):
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Blog",
        "items": [
            {
                "id": "1",
                "url": "javascript:alert(1)",
                "external_url": "JaVaScRiPt:alert(2)",
                "image": "data:text/html,<script>alert(3)</script>",
                "content_html": ARTICLE,
            }
        ],
    }
    url = site.serve("/feed.json", Reply(200, json.dumps(feed).encode(), {}))
    [post] = read_source(SourceRef(1, "feed", url), client).posts
    assert (post.url, post.image) == (None, None)


def test_a_pages_canonical_link_and_og_image_must_be_http(site, client):
    page = (
        '<html lang="nl"><head><title>Knie</title>'
        '<link rel="canonical" href="javascript:alert(1)">'
        '<meta property="og:image" content="data:image/png;base64,iVBORw0KGgo=">'
        f"</head><body><article><h1>Knie</h1>{ARTICLE}</article></body></html>"
    )
    url = site.serve("/blog/knie", Reply(200, page.encode(), {"Content-Type": "text/html"}))
    post = load_post(url, client)
    assert post.url == url
    assert post.image is None
