"""make demo: every demo post gives a digest in its own language, with its own tips."""

from __future__ import annotations

import os
import subprocess

import pytest
from rich.console import Console

from distributor.content.digest import build_digest
from distributor.demo import DEMO_POSTS, run_demo
from distributor.demo_delivery import print_delivery_demo
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


def test_the_demos_next_commands_work_when_copied_as_printed(tmp_path, monkeypatch):
    # Defect: `distributor ...` was printed, which no shell finds unless the venv is activated,
    # and long lines were wrapped mid-command.
    monkeypatch.setenv("DISTRIBUTOR_DATA_DIR", str(tmp_path / "data"))
    console = Console(record=True, width=60)
    run_demo(console)
    print_delivery_demo(console, DEMO_POSTS, DEMO_POSTS.parent / "subscribers.csv")
    lines = console.export_text().splitlines()
    commands = [line.strip().removeprefix("next: ") for line in lines if "distributor" in line]
    commands = [c for c in commands if c.startswith(("/", "DISTRIBUTOR_"))]
    assert len(commands) == 2
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DISTRIBUTOR_")}
    for command in commands:
        done = subprocess.run(
            ["sh", "-c", command], env=clean, cwd=tmp_path, capture_output=True, timeout=120
        )
        assert done.returncode == 0, (command, done.stderr)
