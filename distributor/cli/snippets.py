"""`distributor snippets SOURCE`: the social posts a blog post would become, per platform."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from distributor.channels import CHANNELS
from distributor.cli.app import app
from distributor.errors import UserError
from distributor.model import Digest, Post, Snippet
from distributor.render.links import WEB_SCHEMES, post_url
from distributor.render.snippets import PlatformRules
from distributor.wiring import from_environment

out = Console(highlight=False, soft_wrap=True)


@app.command("snippets")
def snippets(
    source: str = typer.Argument(
        ..., help="A post: file (text, Markdown, HTML), page URL or feed."
    ),
    url: str | None = typer.Option(None, "--url", help="Public URL of the post, if not known."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object keyed by platform."),
) -> None:
    """Show the posts for X, Mastodon, Bluesky and LinkedIn, each within its platform's limit."""
    if url is not None and not url.startswith(("http://", "https://")):
        raise UserError(f"--url must be a web address, not {url!r}", "Use https://…")
    from distributor.content.digest import build_digest
    from distributor.sources.load import load_post

    wiring = from_environment()
    post = load_post(source)
    digest = build_digest(post)
    rules = {name: rule for name, rule in wiring.snippet_limits().items() if rule is not None}
    link = public_url(post, digest, url, wiring.settings.site_url)
    result = {name: CHANNELS[name].snippet(digest, link, rule) for name, rule in rules.items()}
    if as_json:
        typer.echo(json.dumps(snippets_json(result), ensure_ascii=False))
    else:
        print_snippets(result, rules)


def public_url(post: Post, digest: Digest, given: str | None, site_url: str) -> str:
    """The post's link (feed, page or front matter), else --url, else site URL + slug."""
    known = post.url or digest.url
    if not (known and known.startswith(WEB_SCHEMES)):
        known = given
    return post_url(known, digest.slug, site_url)


def snippets_json(result: dict[str, Snippet]) -> dict[str, list[str]]:
    """The --json contract: platform -> post texts in thread order."""
    return {platform: list(snippet.texts) for platform, snippet in result.items()}


def print_snippets(result: dict[str, Snippet], rules: dict[str, PlatformRules]) -> None:
    """Each platform's thread as panels, with the length as that platform counts it."""
    for platform, snippet in result.items():
        rule = rules.get(platform)
        for number, text in enumerate(snippet.texts, 1):
            size = f"{rule.count(text)}/{rule.limit}" if rule else ""
            title = f"{platform} {number}/{len(snippet.texts)} · {size}"
            out.print(Panel(escape(text), title=title, title_align="left"))
