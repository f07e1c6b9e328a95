"""`distributor subscribers add | export | remove | erase`: one subscriber at a time, or all."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import typer
from rich.console import Console

from distributor.cli.subscribers import subscribers_app
from distributor.errors import UserError
from distributor.pipeline import subscriber_admin
from distributor.pipeline.subscriber_export import LIST_FIELDS, list_rows
from distributor.signup_settings import signup_config, signup_limiter
from distributor.tokens import signing_key
from distributor.wiring import from_environment

out = Console(highlight=False, soft_wrap=True)


@subscribers_app.command("add")
def add_command(
    email: str = typer.Argument(..., help="The address to add."),
    name: str = typer.Option("", "--name", help="The person's name."),
    language: str = typer.Option("", "--language", help="nl, en or fr (default: the site's)."),
    confirmed: bool = typer.Option(
        False, "--confirmed", help="Consent was obtained elsewhere: add as confirmed, no email."
    ),
    override_erased: bool = typer.Option(
        False, "--override-erased", help="Add an address whose owner asked to be erased."
    ),
) -> None:
    """Add a subscriber; without --confirmed they get the confirmation email."""
    wiring = from_environment()
    settings = wiring.settings
    now = datetime.now(UTC)
    with wiring.sessions() as sessions:
        limiter = signup_limiter(settings, sessions, lambda: datetime.now(UTC))
        subscriber, outcome = subscriber_admin.add_subscriber(
            sessions,
            signup_config(wiring),
            signing_key(settings),
            limiter,
            email=email,
            name=name,
            language=language or settings.default_language,
            confirmed=confirmed,
            now=now,
            override_erased=override_erased,
        )
    if confirmed:
        out.print(f"added {subscriber.email} as confirmed")
    else:
        out.print(f"added {subscriber.email} as pending: {outcome}")


@subscribers_app.command("export")
def export_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON (one array)."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV (the default)."),
    status: str | None = typer.Option(None, "--status", help="Only this status."),
) -> None:
    """Export subscribers with their consent time, as CSV or JSON."""
    if as_json and as_csv:
        raise UserError("choose one format", "Pass --json or --csv, not both.")
    with from_environment().sessions() as sessions, sessions() as session:
        rows = [{field: row[field] for field in LIST_FIELDS} for row in list_rows(session, status)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LIST_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    typer.echo(buffer.getvalue(), nl=False)


@subscribers_app.command("remove")
def remove_command(email: str = typer.Argument(..., help="The address to unsubscribe.")) -> None:
    """Unsubscribe an address (it stays in the list as unsubscribed)."""
    with from_environment().sessions() as sessions, sessions.begin() as session:
        subscriber = subscriber_admin.remove_subscriber(session, email, datetime.now(UTC))
        out.print(f"unsubscribed {subscriber.email}")


@subscribers_app.command("erase")
def erase_command(email: str = typer.Argument(..., help="The address to erase.")) -> None:
    """Erase a subscriber: name, address and consent record deleted; only a keyed hash kept."""
    wiring = from_environment()
    with wiring.sessions() as sessions, sessions.begin() as session:
        subscriber_id = subscriber_admin.erase_address(
            session, signing_key(wiring.settings), email, datetime.now(UTC)
        )
    out.print(f"erased subscriber {subscriber_id}; the address can no longer be added again")
