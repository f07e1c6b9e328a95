"""Opening the database: engine and sessions, created and migrated on first use.

SQLite (the embedded default) runs in WAL mode and every transaction begins IMMEDIATE, so
writers queue behind a busy timeout instead of failing; that is also the SQLite stand-in for
PostgreSQL's row locks (one writer at a time). PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import sqlite3
import time
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from distributor.errors import UserError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str) -> str:
    """The URL with PostgreSQL pointed at psycopg 3 (`postgresql://` -> `postgresql+psycopg://`)."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for `url` (SQLite file or PostgreSQL), without touching the schema."""
    url = normalise_url(url)
    options.setdefault("hide_parameters", True)  # errors never echo row values (subscriber data)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UserError(
            f"not a database URL: {url!r}",
            "Set DISTRIBUTOR_DATABASE_URL to sqlite:///path/file.db or "
            "postgresql://user@host/dbname.",
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed.database, url, **options)
    if parsed.get_backend_name() != "postgresql":
        raise UserError(
            f"unsupported database {parsed.get_backend_name()!r}",
            "Use SQLite (sqlite:///file.db) or PostgreSQL (postgresql://...).",
        )
    options.setdefault("pool_pre_ping", True)
    return create_engine(url, **options)


def _use_wal(cursor: Any) -> None:
    """Put the file in WAL mode (kept in the file, so only its first opener changes it).

    Changing the journal mode needs the file to itself and does not wait on the busy timeout:
    when another process is migrating a fresh file at that moment, wait for it and try again.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_engine(database: str | None, url: str, **options: Any) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config(connection: Any = None) -> Config:
    """The Alembic configuration shipped inside the package (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str | None:
    """The newest migration this version of distributor knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def current_revision_or_error(engine: Engine) -> str | None:
    """Like current_revision, but an unreachable database is a UserError."""
    try:
        return current_revision(engine)
    except OperationalError as exc:
        raise _unreachable(engine, exc) from exc


def upgrade(engine: Engine) -> None:
    """Apply every migration the database lacks (safe to run from several processes at once)."""
    try:
        with engine.connect() as connection:
            command.upgrade(alembic_config(connection), "head")
            connection.commit()
    except OperationalError as exc:
        raise _unreachable(engine, exc) from exc


def open_database(url: str, **options: Any) -> Engine:
    """An engine for `url` whose schema is up to date (migrating it on first use)."""
    engine = make_engine(url, **options)
    if current_revision_or_error(engine) != head_revision():
        upgrade(engine)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on `engine`; objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def _unreachable(engine: Engine, exc: OperationalError) -> UserError:
    where = engine.url.render_as_string(hide_password=True)
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    return UserError(
        f"cannot open the database {where}: {reason}",
        "Check DISTRIBUTOR_DATABASE_URL and that the database server is running.",
    )
