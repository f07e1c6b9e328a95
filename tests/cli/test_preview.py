"""`distributor preview`: the newsletter for one post, written as files, from the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_preview(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISTRIBUTOR_")}
    env |= {
        "DISTRIBUTOR_DATA_DIR": str(data_dir),
        "DISTRIBUTOR_PRACTICE_NAME": "Kinesitherapie Willems",
        "DISTRIBUTOR_FROM_EMAIL": "nieuwsbrief@praktijk.example",
        "DISTRIBUTOR_PUBLIC_URL": "https://nieuws.praktijk.example",
        "DISTRIBUTOR_NEWSLETTER_NOTE": "Dit is algemeen advies, geen diagnose.",
    }
    return subprocess.run(
        [sys.executable, "-m", "distributor", "preview", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_preview_writes_html_text_and_a_complete_eml_and_prints_their_paths(
    sample_post_path: Path, tmp_path: Path
):
    out = tmp_path / "preview"
    url = "https://praktijk.example/blog/rugpijn-hernia-kinesist"
    result = run_preview(
        str(sample_post_path),
        "--url",
        url,
        "--lang",
        "nl",
        "--out",
        str(out),
        data_dir=tmp_path / "data",
    )
    assert result.returncode == 0, result.stderr
    names = ["newsletter.html", "newsletter.txt", "newsletter.eml"]
    assert result.stdout.split() == [str((out / name).resolve()) for name in names]
    html = (out / "newsletter.html").read_text(encoding="utf-8")
    assert "Leestijd" in html and "Uitschrijven" in html and "Lees verder" in html
    assert "rugpijn" in html.lower()
    assert "utm_campaign=" in html and "@@slot" not in html
    text = (out / "newsletter.txt").read_text(encoding="utf-8")
    assert f"{url}?utm_source=newsletter&utm_medium=email" in text
    email = message_from_bytes((out / "newsletter.eml").read_bytes(), policy=policy.default)
    assert email["From"] == "Kinesitherapie Willems <nieuwsbrief@praktijk.example>"
    assert email["List-Unsubscribe"].startswith("<https://nieuws.praktijk.example/u/")
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "geen diagnose" in email.get_body(("plain",)).get_content()
    assert not (tmp_path / "data" / "secret.key").exists()


def test_an_unsupported_language_is_a_one_line_error_with_a_hint(
    sample_post_path: Path, tmp_path: Path
):
    result = run_preview(
        str(sample_post_path), "--lang", "de", "--out", str(tmp_path), data_dir=tmp_path
    )
    assert result.returncode == 2
    assert "--lang 'de' is not supported" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "newsletter.html").exists()


def test_an_out_path_that_is_a_file_is_refused(sample_post_path: Path, tmp_path: Path):
    taken = tmp_path / "taken"
    taken.write_text("x")
    result = run_preview(str(sample_post_path), "--out", str(taken), data_dir=tmp_path)
    assert result.returncode == 2
    assert "is a file, not a folder" in result.stderr
