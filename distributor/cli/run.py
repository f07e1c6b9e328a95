"""`distributor run [--once]`: the embedded scheduler (no Redis): poll, plan, dispatch and send
in one process, on the same schedule and through the same pipeline functions as the workers."""

from __future__ import annotations

import time

import typer
from rich.console import Console

from distributor.cli.app import app
from distributor.pipeline.run import TickReport, tick
from distributor.wiring import from_environment

out = Console(highlight=False, soft_wrap=True)


def describe(report: TickReport) -> str:
    """One line about a tick."""
    return (
        f"new posts: {len(report.new_posts)}, campaigns planned: {len(report.campaigns)}, "
        f"started: {len(report.started)}, sent: {report.sent}, failed: {report.failed}, "
        f"to retry: {report.retrying}"
    )


@app.command("run")
def run_command(
    once: bool = typer.Option(False, "--once", help="Run one tick and exit."),
) -> None:
    """Run the embedded scheduler in the foreground (Ctrl-C stops it)."""
    wiring = from_environment()
    with wiring.sessions() as sessions:
        sender = wiring.sender(sessions)
        while True:
            started = time.monotonic()
            out.print(describe(tick(sessions, wiring.schedule(), sender)))
            if once:
                return
            try:
                time.sleep(max(0.0, wiring.settings.tick_s - (time.monotonic() - started)))
            except KeyboardInterrupt:
                return
