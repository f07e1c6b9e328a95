"""`distributor digest SOURCE [--json]`, run as the real console script."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import LocalServer, Reply

SCRIPT = Path(sys.executable).parent / "distributor"
KEYS = [
    "title",
    "language",
    "summary",
    "reading_time",
    "word_count",
    "highlights",
    "keywords",
    "hashtags",
    "image",
    "url",
    "published",
    "summary_source",
]
SAMPLE_TIPS = [
    "Geen paniek",
    "Blijf bewegen waar mogelijk",
    "Wees geduldig",
    "Verzorg jezelf",
    "Laat je niet verleiden",
    "urf twijfelen aan pijnkliniek",
    "chronisch",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "digest", *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


def test_the_sample_post_as_json_has_exactly_the_contract_keys(sample_post_path):
    result = run(str(sample_post_path), "--json")
    assert result.returncode == 0, result.stderr
    digest = json.loads(result.stdout)
    assert list(digest) == KEYS
    assert digest["language"] == "nl"
    assert digest["reading_time"] == 5
    assert len(digest["highlights"]) == 7
    for highlight, tip in zip(digest["highlights"], SAMPLE_TIPS, strict=True):
        assert tip.lower() in highlight.lower()
    assert digest["highlights"][0] == "Geen paniek"
    assert "Bronnen" not in digest["summary"]


def test_without_json_the_digest_is_a_readable_panel(sample_post_path):
    result = run(str(sample_post_path))
    assert result.returncode == 0, result.stderr
    assert "Hoe ik als kinesist mijn eigen rugpijn aanpakte" in result.stdout
    assert "Highlights" in result.stdout
    assert "Geen paniek" in result.stdout
    assert "5 min" in result.stdout


def assert_clean_failure(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: ")
    assert words in lines[0]
    assert len(lines) == 2  # the error, then what to do next


def test_a_missing_file_fails_cleanly(tmp_path):
    assert_clean_failure(run(str(tmp_path / "missing.md"), "--json"), "no such file")


def test_an_empty_file_fails_cleanly(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_text("")
    assert_clean_failure(run(str(empty)), "is empty")


def test_binary_input_fails_cleanly(tmp_path):
    image = tmp_path / "photo.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    assert_clean_failure(run(str(image), "--json"), "not a text file")


def test_a_404_fails_cleanly(server):
    assert_clean_failure(run(server.url("/missing-post"), "--json"), "not found")


def test_a_non_article_page_fails_cleanly(server):
    page = b"<html><body><nav><a href='/'>Home</a> <a href='/blog'>Blog</a></nav></body></html>"
    url = server.serve("/", Reply(200, page, {"Content-Type": "text/html"}))
    assert_clean_failure(run(url), "no article found")


def test_a_feed_url_fails_cleanly_and_points_to_sources_add(server):
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title></channel></rss>'
    url = server.serve("/feed", Reply(200, feed, {"Content-Type": "application/rss+xml"}))
    result = run(url)
    assert_clean_failure(result, "is a feed")
    assert "sources add" in result.stderr
