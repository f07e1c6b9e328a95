"""`distributor run [--once]`: the embedded scheduler (no Redis): poll, plan, dispatch and send
in one process, on the same schedule and through the same pipeline functions as the workers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from distributor.cli.app import app
from distributor.config import Settings
from distributor.pipeline.delivery.routing import make_sender
from distributor.pipeline.delivery.send import Sender
from distributor.pipeline.run import TickReport, tick
from distributor.ratelimit import LocalRateLimiter
from distributor.store.db import open_database, session_factory

out = Console(highlight=False, soft_wrap=True)


@contextmanager
def open_sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions on the configured database (created and migrated on first use)."""
    engine = open_database(settings.resolved_database_url)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


def embedded_sender(settings: Settings, sessions: sessionmaker[Session]) -> Sender:
    """A Sender for this process alone (in-process rate limiter)."""
    return make_sender(settings, sessions, LocalRateLimiter())


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
    settings = Settings()
    with open_sessions(settings) as sessions:
        sender = embedded_sender(settings, sessions)
        while True:
            started = time.monotonic()
            out.print(describe(tick(sessions, settings, sender)))
            if once:
                return
            try:
                time.sleep(max(0.0, settings.tick_s - (time.monotonic() - started)))
            except KeyboardInterrupt:
                return
