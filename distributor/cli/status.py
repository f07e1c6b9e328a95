"""`distributor status [--json]`: sources, campaigns by state, the next send, open deliveries."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from distributor.cli.app import app
from distributor.cli.times import shown
from distributor.pipeline.delivery.progress import status
from distributor.wiring import from_environment

out = Console(highlight=False, soft_wrap=True)


@app.command("status")
def status_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """What is going on: sources and their last poll, campaigns, next send, deliveries."""
    wiring = from_environment()
    zone = wiring.settings.zone
    with wiring.sessions() as sessions, sessions() as session:
        report = status(session)
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return
    sources = Table("id", "kind", "source", "last poll", "error", title="Sources")
    for s in report.sources:
        sources.add_row(
            str(s.id),
            s.kind,
            escape(s.target),
            shown(s.last_polled_at, zone) if s.last_polled_at else "never",
            escape(s.error or ""),
        )
    campaigns = Table("state", "campaigns", title="Campaigns")
    for state, count in report.campaigns.items():
        campaigns.add_row(state, str(count))
    deliveries = Table("pending", "failed", "next send", title="Deliveries")
    upcoming = "-"
    if report.next_send_at is not None:
        upcoming = f"campaign {report.next_send_campaign} at {shown(report.next_send_at, zone)}"
    deliveries.add_row(
        str(report.deliveries["pending"]), str(report.deliveries["failed"]), upcoming
    )
    for table in (sources, campaigns, deliveries):
        out.print(table)
