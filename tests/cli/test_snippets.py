"""`distributor snippets SOURCE [--url URL] [--json]`, run as a user would (subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from distributor.cli import main
from distributor.cli.snippets import public_url
from distributor.model import Digest, Post
from distributor.render.snippets import platform_rules

REPO = Path(__file__).resolve().parents[2]
MARKDOWN = """---
title: Vijf tips tegen lage rugpijn
url: https://www.kine-praktijk.be/blog/vijf-tips-rugpijn
lang: nl
---

# Vijf tips tegen lage rugpijn

Lage rugpijn gaat meestal vanzelf over. Blijf bewegen en bouw rustig op. Een operatie is
zelden nodig, en geduld is het belangrijkste wat je kan opbrengen tijdens het herstel.

1. Geen paniek: pijn betekent niet altijd schade.
2. Blijf bewegen waar het kan.
3. Slaap voldoende en eet gezond.
"""


def run(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DISTRIBUTOR_DATA_DIR": str(tmp_path / "data"), **env}
    return subprocess.run(
        [sys.executable, "-m", "distributor", "snippets", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        timeout=120,
    )


def run_here(*args: str, monkeypatch, capsys, tmp_path: Path) -> tuple[int, str, str]:
    """Run `distributor snippets ARGS` in this process (faster): exit code, stdout, stderr."""
    monkeypatch.setenv("DISTRIBUTOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(sys, "argv", ["distributor", "snippets", *args])
    code: int | str | None = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return int(code or 0), captured.out, captured.err


def first_links(result: dict[str, list[str]]) -> dict[str, str]:
    return {
        p: next(w for w in texts[0].split() if w.startswith("http")) for p, texts in result.items()
    }


def test_json_gives_each_platforms_thread_within_its_limit_with_the_tagged_url(
    sample_post_path, tmp_path
):
    url = "https://www.kine-praktijk.be/blog/rugpijn-hernia-kinesist"
    done = run(str(sample_post_path), "--url", url, "--json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(result) == ["x", "mastodon", "bluesky", "linkedin"]
    rules = platform_rules()
    for platform, texts in result.items():
        assert texts and all(rules[platform].fits(text) for text in texts), platform
        link = first_links(result)[platform]
        assert link.startswith(url + "?")
        assert parse_qs(urlsplit(link).query)["utm_source"] == [platform]
        assert parse_qs(urlsplit(link).query)["utm_medium"] == ["social"]
    assert len(result["x"]) > 1  # the tips follow as a thread


def test_a_front_matter_url_comes_before_the_url_option(tmp_path):
    post = tmp_path / "vijf-tips.md"
    post.write_text(MARKDOWN, encoding="utf-8")
    done = run(str(post), "--url", "https://elders.example/x", "--json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    for link in first_links(json.loads(done.stdout)).values():
        assert link.startswith("https://www.kine-praktijk.be/blog/vijf-tips-rugpijn?utm_source=")


def test_without_any_url_the_site_url_and_the_posts_slug_are_used(sample_post_path, tmp_path):
    done = run(
        str(sample_post_path),
        "--json",
        tmp_path=tmp_path,
        DISTRIBUTOR_SITE_URL="https://www.kine-praktijk.be/blog/",
    )
    assert done.returncode == 0, done.stderr
    for link in first_links(json.loads(done.stdout)).values():
        path = urlsplit(link).path
        assert link.startswith("https://www.kine-praktijk.be/blog/") and len(path) > len("/blog/")
        assert "//" not in path


def test_without_json_each_post_is_shown_with_its_platform_length(
    sample_post_path, tmp_path, monkeypatch, capsys
):
    code, out, err = run_here(
        str(sample_post_path),
        "--url",
        "https://kine.be/p",
        monkeypatch=monkeypatch,
        capsys=capsys,
        tmp_path=tmp_path,
    )
    assert code == 0, err
    assert "/280" in out and "/300" in out and "/3000" in out


def test_a_missing_file_is_a_one_line_error_with_exit_code_2(tmp_path, monkeypatch, capsys):
    code, out, err = run_here(
        str(tmp_path / "bestaat-niet.md"),
        "--json",
        monkeypatch=monkeypatch,
        capsys=capsys,
        tmp_path=tmp_path,
    )
    assert code == 2
    assert err.startswith("error:") and "Traceback" not in err
    assert out == ""


def test_a_url_option_that_is_not_a_web_address_is_refused(
    sample_post_path, tmp_path, monkeypatch, capsys
):
    code, _, err = run_here(
        str(sample_post_path),
        "--url",
        "kine.be/p",
        monkeypatch=monkeypatch,
        capsys=capsys,
        tmp_path=tmp_path,
    )
    assert code == 2
    assert "--url must be a web address" in err


def test_the_public_url_prefers_the_posts_own_link_then_the_option_then_site_and_slug():
    post = Post(guid="a", title="T", body="b", body_format="text")
    digest = Digest("T", "nl", "", 1, 1, (), (), (), None, None, None, slug="vijf-tips")
    linked = Post(guid="a", title="T", body="b", body_format="text", url="https://kine.be/p")
    assert public_url(linked, digest, "https://elders.be/x", "https://kine.be") == (
        "https://kine.be/p"
    )
    assert public_url(post, digest, "https://elders.be/x", "https://kine.be") == (
        "https://elders.be/x"
    )
    assert public_url(post, digest, None, "https://kine.be/blog/") == (
        "https://kine.be/blog/vijf-tips"
    )
