"""Importing subscribers from CSV (columns email, name, language): every bad row reported with
its line number and reason, all good rows written in one transaction, nothing half-imported.

The file is streamed: rows are checked and inserted a chunk at a time inside the caller's one
transaction, so memory stays flat however long the file is. Control characters are stripped as
lines are read (PostgreSQL refuses NUL), and no reason ever names more than its own row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from distributor.addresses import BadAddress, normalised_address
from distributor.pipeline.erase import ERASED_REASON, erased_among, forget_erasure
from distributor.plain_text import safe_line, without_controls
from distributor.store.tables import Subscriber

LANGUAGES = ("nl", "en", "fr")
CHUNK_ROWS = 1000  # rows checked against the database and inserted per statement
MAX_LISTED_PROBLEMS = 1000  # bad rows listed one by one; beyond this they are only counted


@dataclass
class ImportReport:
    """What an import did: rows added, rows already there, bad rows with line and reason."""

    added: int = 0
    existing: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    unlisted_problems: int = 0  # bad rows past MAX_LISTED_PROBLEMS

    @property
    def bad_rows(self) -> int:
        """How many rows were skipped."""
        return len(self.problems) + self.unlisted_problems

    def skip(self, line: int, reason: str) -> None:
        """Note a skipped row (listed while the list is short, counted after)."""
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append((line, reason))
        else:
            self.unlisted_problems += 1


def clean_lines(lines: Iterable[str]) -> Iterator[str]:
    """The lines of a CSV file without control characters or terminal escapes."""
    for line in lines:
        yield without_controls(line)


def checked_rows(
    lines: Iterable[str], default_language: str, report: ImportReport
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, values) of each good row; bad rows go into `report` by line number."""
    reader = csv.DictReader(clean_lines(lines))
    try:
        headers = [h.strip().lower().lstrip("\ufeff") for h in reader.fieldnames or []]
    except csv.Error as exc:
        report.skip(1, f"the header cannot be read as CSV ({exc})")
        return
    if "email" not in headers:
        report.skip(1, "the header has no 'email' column (expected email,name,language)")
        return
    reader.fieldnames = headers
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.skip(reader.line_num, f"this row cannot be read as CSV ({exc})")
            continue
        problem, values = check_row(row, default_language)
        if problem:
            report.skip(reader.line_num, problem)
            continue
        yield reader.line_num, values


def parse_rows(text: str, default_language: str) -> tuple[list[dict[str, str]], ImportReport]:
    """Check every row of a small CSV text; the good ones as dicts, the bad ones in the report."""
    report = ImportReport()
    rows = [values for _, values in checked_rows(io.StringIO(text), default_language, report)]
    return rows, report


def check_row(row: dict[str, Any], default_language: str) -> tuple[str | None, dict]:
    """(reason, values) for one CSV row: reason is None when the row is fine."""
    email = (row.get("email") or "").strip() if isinstance(row.get("email"), str) else ""
    if not email:
        return "no email address", {}
    try:
        email = normalised_address(email).lower()
    except BadAddress as exc:
        return f"{email[:320]!r} is not a valid email address ({exc.reason})", {}
    language = str(row.get("language") or "").strip().lower() or default_language
    if language not in LANGUAGES:
        return f"language {language[:20]!r} is not one of {', '.join(LANGUAGES)}", {}
    name = row.get("name") if isinstance(row.get("name"), str) else ""
    return None, {"email": email, "name": safe_line(name or "")[:200], "language": language}


def import_csv(
    session: Session,
    lines: Iterable[str],
    *,
    default_language: str,
    confirmed: bool,
    now: datetime,
    erasure_key: bytes | None = None,
    override_erased: bool = False,
) -> ImportReport:
    """Stream a CSV into the subscribers table, chunk by chunk (the caller commits once).

    With `erasure_key`, addresses whose owners asked to be erased are skipped and reported, or
    imported after all (their erasure forgotten) with `override_erased`.
    """
    report = ImportReport()
    chunk: list[tuple[int, dict[str, str]]] = []

    def flush() -> None:
        rows = chunk
        if erasure_key is not None:
            rows = without_erased(session, erasure_key, chunk, report, override_erased)
        _insert_chunk(session, rows, confirmed, now, report)

    for numbered in checked_rows(lines, default_language, report):
        chunk.append(numbered)
        if len(chunk) >= CHUNK_ROWS:
            flush()
            chunk = []
    flush()
    return report


def without_erased(
    session: Session,
    key: bytes,
    chunk: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    override: bool,
) -> list[tuple[int, dict[str, str]]]:
    """The chunk without erased addresses (each reported by line), or whole with `override`."""
    erased = erased_among(session, key, [values["email"] for _, values in chunk])
    if override:
        for email in erased:
            forget_erasure(session, key, email)
        return chunk
    kept = []
    for line, values in chunk:
        if values["email"] in erased:
            report.skip(
                line, f"{values['email']}: {ERASED_REASON} (import it with --override-erased)"
            )
        else:
            kept.append((line, values))
    return kept


def import_subscribers(
    session: Session, rows: list[dict[str, str]], confirmed: bool, now: datetime
) -> ImportReport:
    """Add the rows not yet subscribed (the caller commits: one transaction for all)."""
    report = ImportReport()
    numbered = list(enumerate(rows, start=2))
    for start in range(0, len(numbered), CHUNK_ROWS):
        _insert_chunk(session, numbered[start : start + CHUNK_ROWS], confirmed, now, report)
    return report


def _insert_chunk(
    session: Session,
    chunk: list[tuple[int, dict[str, str]]],
    confirmed: bool,
    now: datetime,
    report: ImportReport,
) -> None:
    """Insert the chunk's new addresses; earlier rows of this same import count as duplicates."""
    if not chunk:
        return
    emails = {values["email"] for _, values in chunk}
    query = select(Subscriber.email, Subscriber.created_at).where(Subscriber.email.in_(emails))
    known = {email: created == now for email, created in session.execute(query).all()}
    fresh: list[dict[str, Any]] = []
    for line, values in chunk:
        email = values["email"]
        if email in known:
            if known[email]:  # added a moment ago by this same import
                report.skip(line, f"{email} appears twice in the file")
            else:
                report.existing += 1
            continue
        known[email] = True
        fresh.append(_subscriber_values(values, confirmed, now))
    if fresh:
        session.execute(insert(Subscriber), fresh)
        report.added += len(fresh)


def _subscriber_values(values: dict[str, str], confirmed: bool, now: datetime) -> dict[str, Any]:
    return {
        "email": values["email"],
        "name": values["name"],
        "language": values["language"],
        "status": "confirmed" if confirmed else "pending",
        "consent_at": now if confirmed else None,
        "consent_source": "import --confirmed" if confirmed else "import",
        "confirmed_at": now if confirmed else None,
        "created_at": now,
    }


def list_subscribers(session: Session) -> list[Subscriber]:
    """Every subscriber, oldest first."""
    return list(session.scalars(select(Subscriber).order_by(Subscriber.id)))
