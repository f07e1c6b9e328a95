"""`distributor preview SOURCE --out DIR`: the newsletter a post would become, as files to open."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console

from distributor.cli.app import app
from distributor.cli.snippets import public_url
from distributor.config import Settings
from distributor.errors import UserError
from distributor.model import Digest
from distributor.pipeline.preview import preview_post_email
from distributor.render.i18n import SUPPORTED_LOCALES, supported_locale
from distributor.wiring import Wiring, from_environment

out = Console(highlight=False, soft_wrap=True)
notes = Console(stderr=True, highlight=False, soft_wrap=True)


@app.command("preview")
def preview(
    source: str = typer.Argument(
        ..., help="A post: file (text, Markdown, HTML), page URL or feed."
    ),
    out_dir: Path = typer.Option(..., "--out", help="Folder to write the preview files into."),
    url: str | None = typer.Option(None, "--url", help="Public URL of the post, if not known."),
    lang: str | None = typer.Option(None, "--lang", help="nl, fr or en (default: the post's)."),
) -> None:
    """Write newsletter.html, newsletter.txt and a complete newsletter.eml for one post."""
    if url is not None and not url.startswith(("http://", "https://")):
        raise UserError(f"--url must be a web address, not {url!r}", "Use https://…")
    if lang is not None and lang.replace("_", "-").split("-")[0].lower() not in SUPPORTED_LOCALES:
        raise UserError(f"--lang {lang!r} is not supported", f"Use one of {SUPPORTED_LOCALES}.")
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"--out {out_dir} is a file, not a folder", "Give a folder path.")
    from distributor.sources.load import load_post
    from distributor.summary_ai import summarised_digest

    settings = from_environment().settings
    post = load_post(source)
    digest = summarised_digest(post, settings)
    digest = replace(digest, url=public_url(post, digest, url, settings.site_url))
    locale = supported_locale(lang or digest.language, settings.default_language)
    paths = write_preview(settings, digest, locale, out_dir)
    for path in paths:
        out.print(str(path))
    notes.print(f"summary: {digest.summary_source}")  # on stderr: stdout lists only the files


def write_preview(settings: Settings, digest: Digest, locale: str, out_dir: Path) -> list[Path]:
    """Compile and personalise the newsletter for a sample reader; write the three files."""
    compose = Wiring(settings).compose_settings(for_preview=True)
    try:
        email = preview_post_email(compose, digest, locale, datetime.now(UTC))
    except FileNotFoundError as exc:
        raise UserError(
            str(exc), "Set DISTRIBUTOR_TEMPLATES_DIR to your templates folder."
        ) from None
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {"newsletter.html": email.html.encode(), "newsletter.txt": email.text.encode()}
    files["newsletter.eml"] = email.eml
    written = []
    for name, content in files.items():
        path = out_dir / name
        path.write_bytes(content)
        written.append(path.resolve())
    return written
