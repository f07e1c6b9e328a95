"""Item 10: the CSV import streams the file in chunks inside one transaction, with a size limit.

Memory staying flat (100k vs 1M rows) is measured in benchmarks/subscribers_import.py.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from distributor.cli import main
from distributor.pipeline.subscribers import CHUNK_ROWS, import_csv
from distributor.store.db import session_factory
from distributor.store.tables import Subscriber

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def lines(count: int, fail_after: int | None = None) -> Iterator[str]:
    yield "email,name,language\n"
    for number in range(count):
        if number == fail_after:
            raise OSError("the disk went away")
        yield f"lezer{number}@example.org,Lezer {number},nl\n"


def subscriber_count(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Subscriber))


def test_rows_go_in_chunk_by_chunk_and_all_or_nothing(engine):
    sessions = session_factory(engine)
    with pytest.raises(OSError), sessions.begin() as session:
        import_csv(
            session,
            lines(3 * CHUNK_ROWS, fail_after=2 * CHUNK_ROWS + 10),
            default_language="nl",
            confirmed=True,
            now=NOW,
        )
    assert subscriber_count(sessions) == 0  # two chunks were written, then rolled back
    with sessions.begin() as session:
        report = import_csv(
            session, lines(3 * CHUNK_ROWS + 7), default_language="nl", confirmed=True, now=NOW
        )
    assert (report.added, report.bad_rows) == (3 * CHUNK_ROWS + 7, 0)
    assert subscriber_count(sessions) == 3 * CHUNK_ROWS + 7


def test_a_file_over_the_size_limit_is_refused_in_one_line(
    database_url, tmp_path, monkeypatch, capsys
):
    csv = tmp_path / "lezers.csv"
    csv.write_text("".join(lines(200)), encoding="utf-8")
    monkeypatch.setenv("DISTRIBUTOR_DATABASE_URL", database_url)
    monkeypatch.setenv("DISTRIBUTOR_IMPORT_MAX_BYTES", "1000")
    monkeypatch.setattr(sys, "argv", ["distributor", "subscribers", "import", str(csv)])
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "over the import limit of 1,000 bytes" in err
    assert "DISTRIBUTOR_IMPORT_MAX_BYTES" in err
    assert "Traceback" not in err
