"""`distributor subscribers import FILE.csv [--confirmed]` and `subscribers list --json`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from distributor.cli.app import app
from distributor.errors import UserError
from distributor.pipeline.erase import drop_erased
from distributor.pipeline.subscriber_export import list_rows
from distributor.pipeline.subscribers import import_subscribers, parse_rows
from distributor.tokens import signing_key
from distributor.wiring import from_environment

subscribers_app = typer.Typer(help="People who receive the newsletter.", no_args_is_help=True)
app.add_typer(subscribers_app, name="subscribers")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
EXIT_SOME_ROWS_BAD = 1


@subscribers_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="CSV with columns email, name, language."),
    confirmed: bool = typer.Option(
        False, "--confirmed", help="Consent was obtained elsewhere: import as confirmed."
    ),
    override_erased: bool = typer.Option(
        False, "--override-erased", help="Also import addresses whose owners asked to be erased."
    ),
) -> None:
    """Import subscribers; bad rows are listed by line, good rows go in one transaction."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {file}: {exc}", "Give a UTF-8 CSV file.") from exc
    wiring = from_environment()
    rows, report = parse_rows(text, wiring.settings.default_language)
    with wiring.sessions() as sessions, sessions.begin() as session:
        key = signing_key(wiring.settings)
        rows = drop_erased(session, key, rows, report, override_erased)
        done = import_subscribers(session, rows, confirmed, datetime.now(UTC))
    state = "confirmed" if confirmed else "pending (they must confirm)"
    out.print(f"imported {done.added} subscriber(s) as {state}; {done.existing} already there")
    for line, reason in report.problems:
        err.print(f"line {line}: {escape(reason)}" if line else escape(reason))
    if report.problems:
        err.print(f"{len(report.problems)} row(s) skipped: fix them and import the file again.")
        raise typer.Exit(EXIT_SOME_ROWS_BAD)


@subscribers_app.command("list")
def list_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List subscribers."""
    with from_environment().sessions() as sessions, sessions() as session:
        rows = list_rows(session)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "email", "name", "language", "status", "frequency")
    for row in rows:
        table.add_row(*(escape(str(row[key])) for key in list(row)[:6]))
    out.print(table)
