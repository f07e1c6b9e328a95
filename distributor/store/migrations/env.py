"""Alembic environment: runs on the connection distributor.store.db hands over.

Migrations are serialised across processes: an advisory lock on PostgreSQL, an immediate
(write) transaction on SQLite, taken before Alembic reads the current revision. SQLite's DDL runs
in that one transaction too (`transactional_ddl`): Alembic otherwise commits after each migration
there, and a second process that read an older revision would apply the later ones again.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

from distributor.store.tables import Base

MIGRATION_LOCK_KEY = 4_017_202_611  # any constant shared by every distributor process


def run_on(connection) -> None:  # type: ignore[no-untyped-def]
    """Apply the migrations on `connection`, holding the migration lock."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        context.run_migrations()


def run() -> None:
    """Entry point Alembic calls: use the given connection, or open one from the URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("pass -x url=DATABASE_URL (or use `distributor db upgrade`)")
    engine = create_engine(url)
    with engine.connect() as conn:
        run_on(conn)
    engine.dispose()


run()
