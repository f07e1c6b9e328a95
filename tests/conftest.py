"""Shared fixtures. Fixtures for one area live in that area's own conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_SAMPLES = REPO.parent / "shared" / "samples"


@pytest.fixture(scope="session")
def sample_post_path() -> Path:
    """The practice's real post, as plain text copied from their site."""
    path = SHARED_SAMPLES / "rugpijn-hernia-kinesist.txt"
    if not path.exists():
        pytest.fail(f"missing {path}: the shared/ folder must sit beside the repository")
    return path


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder, set as DISTRIBUTOR_DATA_DIR for code that reads settings."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("DISTRIBUTOR_DATA_DIR", str(folder))
    monkeypatch.delenv("DISTRIBUTOR_DATABASE_URL", raising=False)
    return folder


# Databases (store): every database test runs on SQLite and on PostgreSQL.
PG_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh, empty database URL: a SQLite file, or a new PostgreSQL database dropped after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    import os
    import uuid

    import sqlalchemy

    server_url = os.environ.get("DISTRIBUTOR_TEST_PG_URL", PG_SERVER_URL)
    name = f"distributor_test_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sqlalchemy.exc.OperationalError as exc:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is not reachable at {server_url} ({exc.orig}); "
            "start it with `bash scripts/test-services.sh` or set DISTRIBUTOR_TEST_PG_URL"
        )
    try:
        yield sqlalchemy.engine.make_url(server_url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def engine(database_url: str):
    """An engine on the fresh database, migrated to the newest schema."""
    from distributor.store.db import open_database

    engine = open_database(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    """A session on the migrated test database (closed after the test)."""
    from distributor.store.db import session_factory

    with session_factory(engine)() as session:
        yield session
