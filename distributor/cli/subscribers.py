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
from distributor.pipeline.bounces import last_feedback
from distributor.pipeline.subscribers import import_subscribers, list_subscribers, parse_rows
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
) -> None:
    """Import subscribers; bad rows are listed by line, good rows go in one transaction."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {file}: {exc}", "Give a UTF-8 CSV file.") from exc
    wiring = from_environment()
    rows, report = parse_rows(text, wiring.settings.default_language)
    with wiring.sessions() as sessions, sessions.begin() as session:
        done = import_subscribers(session, rows, confirmed, datetime.now(UTC))
    state = "confirmed" if confirmed else "pending (they must confirm)"
    out.print(f"imported {done.added} subscriber(s) as {state}; {done.existing} already there")
    for line, reason in report.problems:
        err.print(f"line {line}: {escape(reason)}")
    if report.problems:
        err.print(f"{len(report.problems)} row(s) skipped: fix them and import the file again.")
        raise typer.Exit(EXIT_SOME_ROWS_BAD)


@subscribers_app.command("list")
def list_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List subscribers."""
    with from_environment().sessions() as sessions, sessions() as session:
        subscribers = list_subscribers(session)
        feedback = last_feedback(session, [s.id for s in subscribers])
    rows = [
        {
            "id": s.id,
            "email": s.email,
            "name": s.name,
            "language": s.language,
            "status": s.status,
            "frequency": s.frequency,
            "consent_source": s.consent_source,
            "status_reason": s.status_reason,
            "last_bounce": feedback.get(s.id),
        }
        for s in subscribers
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "email", "name", "language", "status", "frequency", "bounce or reason")
    for row in rows:
        reason = row["last_bounce"] or row["status_reason"] or ""
        table.add_row(*(escape(str(row[key])) for key in list(row)[:6]), escape(reason))
    out.print(table)
