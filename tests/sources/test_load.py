"""load_post and complete_entry: targets and feed excerpts -> Posts, over a real local server."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urljoin

import pytest

from distributor.errors import UserError
from distributor.model import Post
from distributor.sources.fetch import FetchError
from distributor.sources.load import complete_entry, load_post
from tests.httpserver import Reply

PARAGRAPH = (
    "Veel lopers voelen pijn rond de knieschijf wanneer ze hun training te snel opbouwen. "
    "Dat is meestal onschuldig en het herstel gaat vlot als je de belasting tijdelijk aanpast. "
)
PAGE = f"""<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">
<title>Kniepijn | Kinepraktijk</title><meta property="og:title" content="Kniepijn bij het lopen">
<meta property="og:image" content="/img/knie.jpg"></head><body>
<nav><a href="/">Home</a> <a href="/blog">Blog</a></nav><article><h1>Kniepijn bij het lopen</h1>
<p>Leestijd: 4 min</p><p>{PARAGRAPH * 2}</p><h2>Tips</h2>
<ol><li>Verlaag je volume.</li><li>Train kracht.</li></ol><p>{PARAGRAPH}</p></article>
<footer>© Kinepraktijk</footer></body></html>"""
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>
<item><title>Knie</title><link>https://kine.example.be/knie</link></item></channel></rss>"""


def html(text: str = PAGE) -> Reply:
    return Reply(200, text.encode(), {"Content-Type": "text/html; charset=utf-8"})


def test_a_file_path_loads_the_post_file(sample_post_path):
    post = load_post(str(sample_post_path))
    assert post.body_format == "text"
    assert "Geen paniek" in post.body


def test_a_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        load_post(str(tmp_path / "missing.md"))


def test_an_article_url_is_fetched_and_extracted(server, client):
    url = server.serve("/blog/knie", html())
    post = load_post(url, client)
    assert post.title == "Kniepijn bij het lopen"
    assert post.url == url
    assert post.image == server.url("/img/knie.jpg")
    assert post.declared_reading_time == 4
    assert "<ol><li>Verlaag je volume.</li>" in post.body


def test_without_a_client_load_post_makes_its_own(server):
    url = server.serve("/blog/knie", html())
    assert load_post(url).title == "Kniepijn bij het lopen"


def test_the_final_url_after_a_redirect_is_the_posts_url(server, client):
    final = server.serve("/blog/knie-2", html())
    server.serve("/blog/knie", Reply(301, b"", {"Location": "/blog/knie-2"}))
    assert load_post(server.url("/blog/knie"), client).url == final


def test_a_feed_url_says_to_add_it_as_a_source(server, client):
    url = server.serve("/feed", Reply(200, FEED, {"Content-Type": "text/xml"}))
    with pytest.raises(UserError) as caught:
        load_post(url, client)
    assert "is a feed, not a single article" in caught.value.message
    assert "distributor sources add" in caught.value.hint


def test_a_missing_page_is_a_not_found_fetch_error(server, client):
    with pytest.raises(FetchError, match="not found"):
        load_post(server.url("/nope"), client)


def test_an_image_url_is_not_a_web_page(server, client):
    url = server.serve(
        "/photo.jpg", Reply(200, b"\xff\xd8\xff" * 10, {"Content-Type": "image/jpeg"})
    )
    with pytest.raises(UserError, match="is not a web page but image/jpeg"):
        load_post(url, client)


def test_a_page_without_an_article_is_a_user_error(server, client):
    url = server.serve("/", html("<html><body><nav><a href='/'>Home</a></nav></body></html>"))
    with pytest.raises(UserError, match="no article found"):
        load_post(url, client)


def excerpt(url: str) -> Post:
    return Post(
        guid="kine-post-42",
        title="Kniepijn",
        body="<p>Veel lopers voelen pijn […]</p>",
        body_format="html",
        url=url,
        published=datetime(2024, 9, 11, 6, tzinfo=UTC),
        tags=("knie",),
        source_ref=urljoin(url, "/feed"),  # the feed lives on the same site as its posts
    )


def test_an_excerpt_is_completed_from_its_page_keeping_the_entrys_identity(server, client):
    url = server.serve("/blog/knie", html())
    entry = excerpt(url)
    post = complete_entry(entry, client)
    assert "<ol><li>Verlaag je volume.</li>" in post.body
    assert post.guid == entry.guid
    assert post.url == entry.url
    assert post.published == entry.published
    assert post.title == "Kniepijn"
    assert post.tags == ("knie",)
    assert post.image == server.url("/img/knie.jpg")
    assert post.declared_reading_time == 4


def test_an_excerpt_whose_page_fails_is_returned_unchanged(server, client):
    entry = excerpt(server.url("/gone"))
    assert complete_entry(entry, client) is entry


def test_an_entry_without_a_link_is_returned_unchanged(client):
    entry = replace(excerpt("https://kine.example.be/x"), url=None)
    assert complete_entry(entry, client) is entry


def test_a_plain_text_url_is_a_text_post(server, client):
    text = "Kniepijn bij het lopen\n\nLeestijd: 4 min\n\n" + PARAGRAPH
    url = server.serve(
        "/knie.txt", Reply(200, text.encode(), {"Content-Type": "text/plain; charset=utf-8"})
    )
    post = load_post(url, client)
    assert (post.body_format, post.body, post.url, post.title) == ("text", text, url, "")


def test_a_markdown_url_is_a_markdown_post(server, client):
    url = server.serve(
        "/knie.md", Reply(200, b"# Knie\n\n1. Rust.\n", {"Content-Type": "text/markdown"})
    )
    assert load_post(url, client).body_format == "markdown"
