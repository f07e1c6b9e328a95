"""`distributor digest SOURCE [--json]`: what a post says, as a panel or as one JSON object."""

from __future__ import annotations

import json

import typer
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from distributor.cli.app import app
from distributor.model import Digest

LANGUAGE_NAMES = {"nl": "Dutch", "en": "English", "fr": "French", "de": "German"}
SUMMARY_SOURCES = {"extractive": "the post's own sentences", "ai": "AI (the summary API)"}


@app.command("digest")
def digest(
    source: str = typer.Argument(..., help="A post: a file (.md, .html, .txt) or a page URL."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (stable keys)."),
) -> None:
    """Show a post's digest: title, summary, reading time, highlights, keywords, hashtags."""
    from distributor.config import Settings
    from distributor.sources.load import load_post
    from distributor.summary_ai import summarised_digest

    result = summarised_digest(load_post(source), Settings())
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        Console(highlight=False, soft_wrap=False).print(digest_panel(result))


def digest_panel(result: Digest, source: str = "") -> Panel:
    """A readable Rich panel of one digest."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold cyan", no_wrap=True)
    facts.add_column()
    language = LANGUAGE_NAMES.get(result.language, result.language)
    facts.add_row("Language", f"{language} ({result.language})")
    facts.add_row("Reading time", f"{result.reading_time} min · {result.word_count} words")
    facts.add_row("Summary by", SUMMARY_SOURCES.get(result.summary_source, result.summary_source))
    if result.published:
        facts.add_row("Published", result.published.date().isoformat())
    for label, value in (("URL", result.url), ("Image", result.image), ("Source", source)):
        if value:
            facts.add_row(label, escape(value))
    parts: list[object] = [Text(result.title or "(untitled)", style="bold"), Text(""), facts]
    parts += [Text(""), Text("Summary", style="bold"), Text(result.summary), Text("")]
    parts.append(Text("Highlights", style="bold"))
    if result.highlights:
        tips = Table.grid(padding=(0, 1))
        tips.add_column(no_wrap=True)
        tips.add_column()
        for item in result.highlights:
            tips.add_row(" •", Text(item))
        parts.append(tips)
    else:
        parts.append(Text("  (none: the post has no list of tips)", style="dim"))
    if result.keywords:
        parts += [Text(""), Text.assemble(("Keywords  ", "bold"), ", ".join(result.keywords))]
    if result.hashtags:
        parts.append(Text.assemble(("Hashtags  ", "bold"), (" ".join(result.hashtags), "magenta")))
    return Panel(
        Group(*parts),
        title="digest",
        title_align="left",
        border_style="cyan",
        expand=False,
    )
