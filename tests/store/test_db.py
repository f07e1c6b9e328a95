"""Opening the database: created, migrated and usable on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from distributor.errors import UserError
from distributor.store import db
from distributor.store.tables import Base, Source


def test_first_use_creates_the_sqlite_file_and_its_folder(tmp_path: Path):
    path = tmp_path / "deep" / "folder" / "distributor.db"
    engine = db.open_database(f"sqlite:///{path}")
    assert path.exists()
    assert db.current_revision(engine) == db.head_revision()
    assert {"sources", "posts", "subscribers", "campaigns", "deliveries", "events"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def test_opening_a_migrated_database_again_changes_nothing(engine):
    before = db.current_revision(engine)
    again = db.open_database(engine.url.render_as_string(hide_password=False))
    assert db.current_revision(again) == before == db.head_revision()
    again.dispose()


def test_the_migrations_build_exactly_the_declared_tables(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_postgresql_urls_are_served_by_psycopg_3():
    assert db.normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_datetimes_are_stored_and_read_back_as_aware_utc(session):
    brussels = timezone(timedelta(hours=1))
    local = datetime(2026, 3, 1, 9, 30, tzinfo=brussels)
    session.add(Source(kind="feed", target="http://x/feed", created_at=local, next_poll_at=local))
    session.commit()
    session.expire_all()
    source = session.scalars(select(Source)).one()
    assert source.created_at == local
    assert source.created_at.tzinfo is not None
    assert source.created_at.utcoffset() == timedelta(0)
    assert source.created_at.hour == 8


def test_a_naive_datetime_is_refused(session):
    session.add(Source(kind="feed", target="http://x/feed", created_at=datetime(2026, 1, 1)))
    with pytest.raises(Exception, match="naive datetime"):
        session.commit()


def test_an_unreachable_postgresql_server_is_a_clear_user_error():
    with pytest.raises(UserError, match="cannot open the database") as caught:
        db.open_database("postgresql://postgres@127.0.0.1:1/nothing")
    assert "DISTRIBUTOR_DATABASE_URL" in caught.value.hint


def test_an_unknown_database_kind_is_a_clear_user_error():
    with pytest.raises(UserError, match="unsupported database"):
        db.make_engine("mysql://root@localhost/x")
    with pytest.raises(UserError, match="not a database URL"):
        db.make_engine("not a url")


def test_sessions_keep_objects_readable_after_commit(engine):
    now = datetime.now(UTC)
    with db.session_factory(engine)() as session:
        source = Source(kind="folder", target="/tmp/posts", created_at=now)
        session.add(source)
        session.commit()
    assert source.id is not None
    assert source.target == "/tmp/posts"


def test_two_processes_opening_a_fresh_database_at_once_migrate_it_once(database_url: str):
    import subprocess
    import sys

    code = "import sys; from distributor.store import db; db.open_database(sys.argv[1])"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, database_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
    engine = db.make_engine(database_url)
    assert db.current_revision(engine) == db.head_revision()
    engine.dispose()
