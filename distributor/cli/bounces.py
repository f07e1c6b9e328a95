"""`distributor bounces import PATH` and `bounces read`: record bounces and complaints."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console

from distributor.bounces.mailbox import imap_location, local_messages
from distributor.cli.app import app
from distributor.errors import UserError
from distributor.pipeline.bounces import import_reports, read_bounce_mailbox
from distributor.tokens import signing_key
from distributor.wiring import from_environment

bounces_app = typer.Typer(help="Bounces and spam complaints that came back.", no_args_is_help=True)
app.add_typer(bounces_app, name="bounces")
out = Console(highlight=False, soft_wrap=True)


@bounces_app.command("import")
def import_command(
    path: Path = typer.Argument(..., help="A Maildir folder or an mbox file of bounce reports."),
) -> None:
    """Record the bounces (DSN) and complaints (ARF) in a Maildir folder or an mbox file."""
    wiring = from_environment()
    settings = wiring.settings
    messages = local_messages(path)
    with wiring.sessions() as sessions:
        tally = import_reports(sessions, messages, signing_key(settings), datetime.now(UTC))
    out.print(f"read {sum(tally.counts.values())} message(s): {tally.summary()}")


@bounces_app.command("read")
def read_command() -> None:
    """Read the IMAP bounce mailbox once (DISTRIBUTOR_BOUNCE_IMAP_URL), as the beat does."""
    wiring = from_environment()
    settings = wiring.settings
    if settings.bounce_imap_url is None:
        raise UserError(
            "DISTRIBUTOR_BOUNCE_IMAP_URL is not set",
            "Set it to imaps://user:password@host/INBOX?processed=Processed.",
        )
    location = imap_location(settings.bounce_imap_url.get_secret_value())
    with wiring.sessions() as sessions:
        tally = read_bounce_mailbox(
            sessions, location, signing_key(settings), lambda: datetime.now(UTC)
        )
    out.print(f"read {sum(tally.counts.values())} message(s): {tally.summary()}")
