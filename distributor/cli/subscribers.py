"""`distributor subscribers import FILE.csv [--confirmed]` and `subscribers list --json`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from distributor.cli.app import app
from distributor.errors import UserError
from distributor.pipeline.bounces import last_feedback
from distributor.pipeline.subscriber_export import list_rows
from distributor.pipeline.subscribers import import_csv
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
    wiring = from_environment()
    _check_size(file, wiring.settings.import_max_bytes)
    try:
        with (
            file.open(encoding="utf-8", errors="replace", newline="") as lines,
            wiring.sessions() as sessions,
            sessions.begin() as session,
        ):
            report = import_csv(
                session,
                lines,
                default_language=wiring.settings.default_language,
                confirmed=confirmed,
                now=datetime.now(UTC),
                erasure_key=signing_key(wiring.settings),
                override_erased=override_erased,
            )
    except OSError as exc:
        raise UserError(f"cannot read {file}: {exc.strerror}", "Give a UTF-8 CSV file.") from exc
    except SQLAlchemyError as exc:
        raise UserError(
            f"the import failed and nothing was imported: {type(exc.orig or exc).__name__}",
            "Check the database (`distributor db upgrade`), then import the file again.",
        ) from exc
    state = "confirmed" if confirmed else "pending (they must confirm)"
    out.print(f"imported {report.added} subscriber(s) as {state}; {report.existing} already there")
    for line, reason in report.problems:
        err.print(f"line {line}: {escape(reason)}")
    if report.unlisted_problems:
        err.print(f"... and {report.unlisted_problems} more bad row(s) not listed")
    if report.bad_rows:
        err.print(f"{report.bad_rows} row(s) skipped: fix them and import the file again.")
        raise typer.Exit(EXIT_SOME_ROWS_BAD)


def _check_size(file: Path, limit: int) -> None:
    """Refuse a file over DISTRIBUTOR_IMPORT_MAX_BYTES before reading any of it."""
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise UserError(f"cannot read {file}: {exc.strerror}", "Give a UTF-8 CSV file.") from exc
    if size > limit:
        raise UserError(
            f"{file} is {size:,} bytes, over the import limit of {limit:,} bytes",
            "Split the file, or raise DISTRIBUTOR_IMPORT_MAX_BYTES.",
        )


@subscribers_app.command("list")
def list_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List subscribers."""
    with from_environment().sessions() as sessions, sessions() as session:
        rows = list_rows(session)
        feedback = last_feedback(session, [row["id"] for row in rows])
    for row in rows:
        row["last_bounce"] = feedback.get(row["id"])
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "email", "name", "language", "status", "frequency", "bounce or reason")
    for row in rows:
        reason = row["last_bounce"] or row["status_reason"] or ""
        table.add_row(*(escape(str(row[key])) for key in list(row)[:6]), escape(reason))
    out.print(table)
