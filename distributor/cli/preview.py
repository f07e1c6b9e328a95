"""`distributor preview SOURCE --out DIR`: the newsletter a post would become, as files to open."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console

from distributor.cli.app import app
from distributor.cli.snippets import public_url
from distributor.config import Settings
from distributor.errors import UserError
from distributor.model import Recipient
from distributor.newsletter_settings import dkim_key_from_settings, practice_from_settings
from distributor.render.i18n import SUPPORTED_LOCALES, supported_locale
from distributor.render.newsletter import (
    compile_newsletter,
    filled_bodies,
    message_id_for,
    personalise,
    recipient_values,
)
from distributor.tokens import make_token, preferences_url, unsubscribe_url

out = Console(highlight=False, soft_wrap=True)
notes = Console(stderr=True, highlight=False, soft_wrap=True)
SAMPLE_READER = Recipient(email="ann.peeters@example.org", name="Ann Peeters", subscriber_id=1)


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

    settings = Settings()
    post = load_post(source)
    digest = summarised_digest(post, settings)
    digest = replace(digest, url=public_url(post, digest, url, settings.site_url))
    locale = supported_locale(lang or digest.language, settings.default_language)
    paths = write_preview(settings, digest, locale, out_dir)
    for path in paths:
        out.print(str(path))
    notes.print(f"summary: {digest.summary_source}")  # on stderr: stdout lists only the files


def write_preview(settings: Settings, digest, locale: str, out_dir: Path) -> list[Path]:
    """Compile and personalise the newsletter for a sample reader; write the three files."""
    try:
        compiled = compile_newsletter(
            digest,
            locale=locale,
            practice=practice_from_settings(settings),
            campaign_id="preview",
            templates_dir=settings.templates_dir,
        )
    except FileNotFoundError as exc:
        raise UserError(
            str(exc), "Set DISTRIBUTOR_TEMPLATES_DIR to your templates folder."
        ) from None
    key = secrets.token_bytes(32)  # preview links are never valid: no key is made or read
    links = {
        "unsubscribe_url": unsubscribe_url(
            settings.public_url, make_token(key, 1, "preview", "unsubscribe")
        ),
        "preferences_url": preferences_url(
            settings.public_url, make_token(key, 1, "preview", "preferences")
        ),
    }
    message = personalise(
        compiled,
        SAMPLE_READER,
        **links,
        message_id=message_id_for("preview", settings.from_email),
        now=datetime.now(UTC),
        key="preview",
        dkim=dkim_key_from_settings(settings),
    )
    html, text = filled_bodies(compiled, recipient_values(compiled, SAMPLE_READER, **links))
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {"newsletter.html": html.encode(), "newsletter.txt": text.encode()}
    files["newsletter.eml"] = message.raw
    written = []
    for name, content in files.items():
        path = out_dir / name
        path.write_bytes(content)
        written.append(path.resolve())
    return written
