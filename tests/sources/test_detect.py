"""Detecting the kind of a source: folder, feed (by content or label) or article."""

from __future__ import annotations

from pathlib import Path

import pytest

from distributor.errors import UserError
from distributor.sources.detect import (
    Document,
    detect_kind,
    feed_links,
    kind_of_document,
    looks_like_feed,
)

RSS = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel></channel></rss>'
ATOM = b'\xef\xbb\xbf<?xml version="1.0"?><!-- generator --><feed xmlns="http://www.w3.org/2005/Atom"/>'
PAGE = b"<!DOCTYPE html><html><head><title>Rugpijn</title></head><body>...</body></html>"


def never_fetch(url: str) -> Document:
    raise AssertionError(f"fetched {url}")


def test_a_local_folder_is_a_folder_source(tmp_path: Path):
    assert detect_kind(str(tmp_path), never_fetch) == "folder"


def test_a_missing_path_says_what_to_give_instead(tmp_path: Path):
    with pytest.raises(UserError, match="no such folder") as caught:
        detect_kind(str(tmp_path / "nope"), never_fetch)
    assert "http" in caught.value.hint


def test_a_single_file_is_refused_with_a_hint(tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text("# Hi", encoding="utf-8")
    with pytest.raises(UserError, match="is a file"):
        detect_kind(str(post), never_fetch)


@pytest.mark.parametrize("content", [RSS, ATOM, b'<rdf:RDF xmlns:rdf="x"></rdf:RDF>'])
def test_feeds_are_recognised_by_their_root_element(content: bytes):
    assert looks_like_feed(content)
    assert kind_of_document("text/plain", content) == "feed"


def test_a_json_feed_is_a_feed():
    body = b'{"version": "https://jsonfeed.org/version/1.1", "items": []}'
    assert kind_of_document("application/json", body) == "feed"


def test_a_feed_served_as_html_is_still_a_feed():
    assert kind_of_document("text/html", RSS) == "feed"


def test_an_html_page_is_an_article_even_when_mislabelled_as_rss():
    assert kind_of_document("text/html", PAGE) == "article"
    assert kind_of_document("application/rss+xml", PAGE) == "article"


def test_a_url_is_classified_by_what_it_serves():
    served = {
        "https://blog.example/feed": Document("https://blog.example/feed", "text/xml", RSS),
        "https://blog.example/post": Document("https://blog.example/post", "text/html", PAGE),
    }
    assert detect_kind("https://blog.example/feed", served.__getitem__) == "feed"
    assert detect_kind("https://blog.example/post", served.__getitem__) == "article"


def test_a_page_announces_its_feeds():
    html = (
        '<html><head><link rel="stylesheet" href="/s.css">'
        '<link rel="alternate" type="application/rss+xml" title="Blog" href="/feed/">'
        "<link type='application/atom+xml' rel='alternate' href='https://b.example/atom'>"
        "</head></html>"
    )
    assert feed_links(html, "https://b.example/blog/post") == [
        "https://b.example/feed/",
        "https://b.example/atom",
    ]
