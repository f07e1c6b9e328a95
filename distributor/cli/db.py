"""`distributor db ...`: the database schema."""

from __future__ import annotations

import typer
from rich.console import Console

from distributor.cli.app import app
from distributor.store import db
from distributor.wiring import from_environment

db_app = typer.Typer(help="Database schema: apply migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade() -> None:
    """Apply every migration the database lacks (DISTRIBUTOR_DATABASE_URL)."""
    engine = db.make_engine(from_environment().settings.resolved_database_url)
    before = db.current_revision_or_error(engine)
    db.upgrade(engine)
    after = db.current_revision(engine)
    where = engine.url.render_as_string(hide_password=True)
    engine.dispose()
    done = f"upgraded {before or 'empty'} -> {after}"
    message = "already up to date" if before == after else done
    Console(highlight=False).print(f"{where}: {message}")
