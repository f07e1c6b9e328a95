"""make demo: every demo post gives a digest in its own language, with its own tips."""

from __future__ import annotations

import pytest
from rich.console import Console

from distributor.content.digest import build_digest
from distributor.demo import DEMO_POSTS, run_demo
from distributor.sources.load import load_post


def test_the_demo_prints_a_digest_of_every_post_and_what_to_try_next():
    console = Console(record=True, width=100)
    assert run_demo(console) == 4
    shown = console.export_text()
    assert shown.count("╭─ digest") == 4
    assert "Shoulder pain at the desk: what actually helps" in shown
    assert "distributor digest" in shown
    assert "--json" in shown


@pytest.mark.parametrize(
    ("name", "language", "tips", "reading_time"),
    [
        ("kniepijn-bij-het-lopen.md", "nl", 6, 4),
        ("shoulder-pain-at-the-desk.html", "en", 5, 4),
        ("mal-de-dos-au-jardin.txt", "fr", 5, 3),
        ("nieuwe-openingsuren-en-collega.md", "nl", 0, None),
    ],
)
def test_each_demo_post_has_its_language_tips_and_declared_reading_time(
    name, language, tips, reading_time
):
    post = load_post(str(DEMO_POSTS / name))
    digest = build_digest(post)
    assert digest.language == language
    assert len(digest.highlights) == tips
    assert 400 <= digest.word_count <= 900
    if reading_time is not None:
        assert digest.reading_time == reading_time
