"""read_post_file: a Markdown, HTML or plain-text post on disk -> a Post."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from distributor.errors import UserError
from distributor.sources.files import read_post_file

PARAGRAPH = (
    "Veel lopers voelen pijn rond de knieschijf wanneer ze hun training te snel opbouwen. "
    "Dat is meestal onschuldig en het herstel gaat vlot als je de belasting tijdelijk aanpast."
)

FRONT_MATTER_POST = f"""---
title: "Kniepijn bij het lopen"
date: 2024-09-11 08:30:00+02:00
author: Sofie Claeys
tags: [knie, lopen]
image: /img/knie.jpg
url: https://kine.example.be/blog/knie
lang: nl-BE
reading_time: 4
---

## Wat kan je doen?

1. Verlaag je volume.
2. Train kracht.

{PARAGRAPH}
"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_the_sample_post_is_plain_text_kept_whole(sample_post_path):
    post = read_post_file(sample_post_path)
    assert post.body_format == "text"
    assert post.title == ""
    assert post.guid == str(sample_post_path.resolve())
    assert post.source_ref == str(sample_post_path.resolve())
    for line in ("Terug naar blog", "Leestijd: 5 min", "Geen paniek", "Bronnen"):
        assert line in post.body


def test_front_matter_fills_the_posts_metadata(tmp_path):
    post = read_post_file(write(tmp_path, "knie.md", FRONT_MATTER_POST))
    assert post.body_format == "markdown"
    assert post.title == "Kniepijn bij het lopen"
    assert post.published == datetime(2024, 9, 11, 6, 30, tzinfo=UTC)
    assert post.author == "Sofie Claeys"
    assert post.tags == ("knie", "lopen")
    assert post.image == "/img/knie.jpg"
    assert post.url == "https://kine.example.be/blog/knie"
    assert post.language == "nl"
    assert post.declared_reading_time == 4


def test_the_front_matter_is_not_part_of_the_body(tmp_path):
    post = read_post_file(write(tmp_path, "knie.md", FRONT_MATTER_POST))
    assert post.body.startswith("## Wat kan je doen?")
    assert "1. Verlaag je volume." in post.body
    assert "title:" not in post.body


def test_a_plain_date_is_midnight_utc_and_tags_may_be_one_string(tmp_path):
    text = f"---\ndate: 2025-03-18\ntags: knie, lopen , knie\nreading_time: 5 min\n---\n{PARAGRAPH}"
    post = read_post_file(write(tmp_path, "post.markdown", text))
    assert post.published == datetime(2025, 3, 18, tzinfo=UTC)
    assert post.tags == ("knie", "lopen")
    assert post.declared_reading_time == 5


def test_markdown_without_front_matter_leaves_the_title_to_the_content(tmp_path):
    post = read_post_file(write(tmp_path, "post.md", f"# Kniepijn\n\n{PARAGRAPH}\n"))
    assert post.body_format == "markdown"
    assert post.title == ""
    assert post.body.startswith("# Kniepijn")
    assert post.published is None


def test_broken_front_matter_is_a_user_error_with_a_hint(tmp_path):
    path = write(tmp_path, "post.md", "---\ntitle: [unclosed\n---\nBody text.\n")
    with pytest.raises(UserError) as caught:
        read_post_file(path)
    assert "front matter" in caught.value.message
    assert "---" in caught.value.hint


def test_an_html_fragment_stays_html(tmp_path):
    fragment = f"<h2>Tips</h2><ul><li>Blijf bewegen.</li></ul><p>{PARAGRAPH}</p>"
    post = read_post_file(write(tmp_path, "post.html", fragment))
    assert post.body_format == "html"
    assert post.body == fragment
    assert post.title == ""


def test_a_full_html_page_goes_through_article_extraction(tmp_path):
    page = f"""<!DOCTYPE html><html lang="en"><head><title>Shoulder pain | Practice</title>
<meta property="og:title" content="Shoulder pain at the desk">
<link rel="canonical" href="https://kine.example.be/en/shoulder"></head><body>
<nav><a href="/">Home</a><a href="/blog">Blog</a></nav>
<article><h1>Shoulder pain at the desk</h1><p>{PARAGRAPH}</p>
<ul><li>Change position often.</li><li>Move during breaks.</li></ul><p>{PARAGRAPH}</p>
</article><footer>© 2025 Practice</footer></body></html>"""
    path = write(tmp_path, "shoulder.htm", page)
    post = read_post_file(path)
    assert post.body_format == "html"
    assert post.title == "Shoulder pain at the desk"
    assert "<ul><li>Change position often.</li>" in post.body
    assert "Home" not in post.body
    assert post.url == "https://kine.example.be/en/shoulder"
    assert post.guid == str(path.resolve())
    assert post.language == "en"


def test_a_full_page_without_canonical_link_has_no_public_url(tmp_path):
    page = f"<html><head><title>T</title></head><body><article><p>{PARAGRAPH}</p>"
    post = read_post_file(write(tmp_path, "p.html", page + f"<p>{PARAGRAPH}</p></article>"))
    assert post.url is None


def test_the_demo_html_post_declares_its_reading_time():
    demo = Path(__file__).resolve().parents[2] / "demo" / "posts" / "shoulder-pain-at-the-desk.html"
    post = read_post_file(demo)
    assert post.declared_reading_time == 4
    assert post.published == datetime(2025, 2, 4, 8, 30, tzinfo=UTC)


def test_a_latin1_text_file_is_decoded(tmp_path):
    text = "Mal de dos après le jardinage\n\nRestez actif, même à genoux : c'est très utile. " * 5
    post = read_post_file(write(tmp_path, "dos.txt", text.encode("latin-1")))
    assert "après le jardinage" in post.body
    assert "très utile" in post.body


def test_windows_line_endings_become_newlines(tmp_path):
    post = read_post_file(write(tmp_path, "p.txt", b"Titel\r\n\r\nEen zin.\r\n"))
    assert post.body == "Titel\n\nEen zin.\n"


def test_an_unknown_suffix_is_read_by_its_content(tmp_path):
    assert read_post_file(write(tmp_path, "post", f"Titel\n\n{PARAGRAPH}")).body_format == "text"
    front = read_post_file(write(tmp_path, "post.mdx", FRONT_MATTER_POST))
    assert front.body_format == "markdown"
    assert front.title == "Kniepijn bij het lopen"


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        bytes(range(256)) * 4,
    ],
)
def test_binary_input_is_a_user_error(tmp_path, content):
    with pytest.raises(UserError) as caught:
        read_post_file(write(tmp_path, "post.md", content))
    assert "not a text file" in caught.value.message
    assert ".md" in caught.value.hint


@pytest.mark.parametrize("content", ["", "  \n\n\t"])
def test_an_empty_file_is_a_user_error(tmp_path, content):
    with pytest.raises(UserError, match="is empty"):
        read_post_file(write(tmp_path, "post.txt", content))


def test_a_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError) as caught:
        read_post_file(tmp_path / "nope.md")
    assert caught.value.message.startswith("no such file")
    assert caught.value.hint


def test_a_folder_is_not_a_post_file(tmp_path):
    with pytest.raises(UserError, match="is a folder"):
        read_post_file(tmp_path)


def test_a_device_is_not_a_post_file():
    with pytest.raises(UserError, match="not a regular file"):
        read_post_file("/dev/zero")


def test_a_file_over_five_megabytes_is_refused(tmp_path):
    path = write(tmp_path, "huge.txt", "woord " * 1_000_000)
    with pytest.raises(UserError, match="larger than 5 MB"):
        read_post_file(path)
