"""`distributor sources ...`, `distributor poll` and `distributor posts list`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from distributor.cli.app import app
from distributor.cli.times import shown
from distributor.pipeline.poll.polling import SourcePoll, poll_sources
from distributor.pipeline.run import plan_new_posts
from distributor.pipeline.sources import CheckReport, add_source, check_source, remove_source
from distributor.sources import fetch
from distributor.store import queries
from distributor.store.tables import Source
from distributor.wiring import from_environment

sources_app = typer.Typer(
    help="Blogs to follow: feeds, article pages, folders.", no_args_is_help=True
)
posts_app = typer.Typer(help="Posts found in the sources.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
app.add_typer(posts_app, name="posts")
out = Console(highlight=False, soft_wrap=True)
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")


class Kind(StrEnum):
    """Source kinds accepted by --kind."""

    feed = "feed"
    article = "article"
    folder = "folder"


@contextmanager
def database_session() -> Iterator[Session]:
    """A session on the configured database (created and migrated on first use)."""
    with from_environment().sessions() as sessions, sessions() as session:
        yield session


def print_json(value: Any) -> None:
    """Print a value as JSON on stdout."""
    typer.echo(json.dumps(value, ensure_ascii=False, default=str))


@sources_app.command("add")
def add(
    target: str = typer.Argument(..., help="Feed or article URL, or a folder of post files."),
    kind: Kind | None = typer.Option(None, "--kind", help="Skip detection: feed, article, folder."),
    name: str = typer.Option("", "--name", help="A name to show instead of the target."),
    auto_approve: bool = typer.Option(False, "--auto-approve", help="Send new posts unasked."),
    interval: int = typer.Option(900, "--interval", min=60, help="Seconds between polls."),
    force: bool = typer.Option(
        False, "--force", help="Add a page even when it looks like neither feed nor article."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Follow a blog: its feed, one article page, or a folder of post files."""
    with database_session() as session, fetch.make_client() as client:
        added = add_source(
            session,
            target,
            client=client,
            now=datetime.now(UTC),
            kind=kind.value if kind else None,
            name=name,
            auto_approve=auto_approve,
            interval_s=interval,
            force=force,
        )
    if as_json:
        print_json({"id": added.id, "kind": added.kind})
        return
    out.print(f"added source {added.id} ({added.kind}): {escape(added.target)}")
    out.print("The first poll records the posts already there without sending them.")
    for feed_url in added.announced_feeds:
        out.print(f"This page announces a feed: {escape(feed_url)}")
        out.print("  To follow every new post of the blog, add that feed instead.")


@sources_app.command("list")
def list_(as_json: bool = JSON_OPTION) -> None:
    """The sources followed, with their last poll and any error."""
    with database_session() as session:
        sources = queries.list_sources(session)
        counts = {s.id: queries.count_posts(session, s.id) for s in sources}
    if as_json:
        print_json([_source_json(s, counts[s.id]) for s in sources])
        return
    if not sources:
        out.print("No sources yet. Add one: distributor sources add URL|FOLDER")
        return
    table = Table("id", "kind", "source", "posts", "last poll", "next poll", "status")
    for s in sources:
        status = f"[red]failing ({s.failures}x)[/]" if s.failures else "ok"
        if s.error and not s.failures:
            status = "[yellow]problems[/]"
        table.add_row(
            str(s.id),
            s.kind,
            escape(s.name or s.target),
            str(counts[s.id]),
            _when(s.last_polled_at),
            _when(s.next_poll_at),
            status,
        )
    out.print(table)
    for s in sources:
        if s.error:
            out.print(f"source {s.id}: [red]{escape(s.error)}[/]")
        if s.warning:
            out.print(f"source {s.id}: [yellow]warning:[/] {escape(s.warning)}")


def _source_json(source: Source, posts: int) -> dict[str, Any]:
    return {
        "id": source.id,
        "kind": source.kind,
        "target": source.target,
        "name": source.name,
        "auto_approve": source.auto_approve,
        "poll_interval_s": source.poll_interval_s,
        "posts": posts,
        "last_polled_at": _iso(source.last_polled_at),
        "next_poll_at": _iso(source.next_poll_at),
        "failures": source.failures,
        "error": source.error,
        "warning": source.warning,
    }


@sources_app.command("remove")
def remove(source_id: int = typer.Argument(..., help="The id from `sources list`.")) -> None:
    """Stop following a source (its posts and history stay)."""
    with database_session() as session:
        source = remove_source(session, source_id, datetime.now(UTC))
    out.print(f"removed source {source_id}: {escape(source.target)} (its posts are kept)")


@sources_app.command("check")
def check(
    source_id: int = typer.Argument(..., help="The id from `sources list`."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Read a source now and show what a poll would find (records nothing)."""
    with database_session() as session, fetch.make_client() as client:
        report = check_source(session, source_id, client=client)
    if as_json:
        print_json(_check_json(report))
        return
    if report.error:
        out.print(f"[red]error:[/] {escape(report.error)}")
        return
    table = Table("would be", "title", "link")
    for post in report.posts:
        table.add_row(post.verdict, escape(post.title), escape(post.url or post.guid))
    out.print(table)
    for problem in report.problems:
        out.print(f"[yellow]could not read:[/] {escape(problem)}")


def _check_json(report: CheckReport) -> dict[str, Any]:
    return {
        "id": report.source_id,
        "error": report.error,
        "posts": [vars(post) for post in report.posts],
        "problems": list(report.problems),
    }


@app.command("poll")
def poll(
    source: list[int] | None = typer.Option(None, "--source", help="Poll only this source id."),
    backfill: int = typer.Option(0, "--backfill", min=0, help="First poll: N newest are new."),
    due: bool = typer.Option(
        False, "--due", help="Only sources whose poll time has come (schedule, backoff)."
    ),
    force: bool = typer.Option(False, "--force", help="Poll even if a server asked to wait."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Fetch the sources and record new and edited posts (the first poll only baselines)."""
    now = datetime.now(UTC)
    wiring = from_environment()
    schedule = wiring.schedule()
    with wiring.sessions() as sessions, sessions() as session, fetch.make_client() as client:
        ids = [queries.get_source(session, i).id for i in source] if source else None
        results = poll_sources(
            session,
            client=client,
            now=now,
            source_ids=ids,
            due_only=due,
            backfill=backfill,
            force=force,
            max_new=schedule.max_new_posts,
            build_digest=schedule.build_digest,
        )
        session.close()  # release the connection: planning writes in its own transactions
        planned = plan_new_posts(sessions, schedule, now)
    if as_json:
        print_json({"sources": [r.as_json() for r in results]})
        return
    for result in results:
        out.print(_poll_line(result))
    if any(result.baseline for result in results):
        out.print(
            "To send one of the posts already there: `distributor posts list`, then "
            "`distributor campaigns create --post ID`."
        )
    if planned:
        out.print(f"{len(planned)} campaign(s) planned: see `distributor campaigns list`.")
    if not results and due:
        out.print("No source is due yet; `distributor sources list` shows the next poll times.")
    elif not results:
        out.print("No sources to poll. Add one: distributor sources add URL|FOLDER")


def _poll_line(result: SourcePoll) -> str:
    if result.error and not (result.new or result.edited or result.unchanged or result.baseline):
        return f"source {result.id}: [red]error:[/] {escape(result.error)}"
    parts = [
        f"{len(result.new)} new",
        f"{len(result.edited)} edited",
        f"{result.unchanged} unchanged",
    ]
    if result.baseline:
        parts.append(f"{result.baseline} already there (baseline, not sent)")
    if result.not_modified:
        parts.append("not modified since last poll")
    line = f"source {result.id}: " + ", ".join(parts)
    line += f"; [yellow]{escape(result.error)}[/]" if result.error else ""
    return line + (f"\n  [yellow]warning:[/] {escape(result.warning)}" if result.warning else "")


@posts_app.command("list")
def list_posts(
    source: int | None = typer.Option(None, "--source", help="Only posts of this source id."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Posts found so far: baseline (already there), new, or edited."""
    with database_session() as session:
        if source is not None:
            queries.get_source(session, source)
        posts = queries.list_posts(session, source)
    rows = [
        {"id": p.id, "source_id": p.source_id, "title": p.title, "url": p.url, "state": p.state}
        for p in posts
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "source", "state", "title", "link")
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["source_id"]),
            row["state"],
            escape(row["title"]),
            escape(row["url"] or ""),
        )
    out.print(table)


def _when(moment: datetime | None) -> str:
    return shown(moment, from_environment().settings.zone)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
