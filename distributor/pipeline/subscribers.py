"""Importing subscribers from CSV (columns email, name, language): every bad row reported with
its line number and reason, all good rows written in one transaction, nothing half-imported."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from distributor.addresses import BadAddress, normalised_address
from distributor.store.tables import Subscriber

LANGUAGES = ("nl", "en", "fr")


@dataclass
class ImportReport:
    """What an import did: rows added, rows already there, bad rows with line and reason."""

    added: int = 0
    existing: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


def parse_rows(text: str, default_language: str) -> tuple[list[dict[str, str]], ImportReport]:
    """Check every row; the good ones as dicts, the bad ones as (line number, reason)."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    if "email" not in headers:
        report.problems.append(
            (1, "the header has no 'email' column (expected email,name,language)")
        )
        return [], report
    reader.fieldnames = headers
    good: list[dict[str, str]] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        problem, values = check_row(row, default_language)
        if problem is None and values["email"] in seen:
            problem = f"{values['email']} appears twice in the file"
        if problem:
            report.problems.append((line, problem))
            continue
        seen.add(values["email"])
        good.append(values)
    return good, report


def check_row(row: dict[str, str | None], default_language: str) -> tuple[str | None, dict]:
    """(reason, values) for one CSV row: reason is None when the row is fine."""
    email = (row.get("email") or "").strip()
    if not email:
        return "no email address", {}
    try:
        email = normalised_address(email).lower()
    except BadAddress as exc:
        return f"{email!r} is not a valid email address ({exc.reason})", {}
    language = (row.get("language") or "").strip().lower() or default_language
    if language not in LANGUAGES:
        return f"language {language!r} is not one of {', '.join(LANGUAGES)}", {}
    return None, {"email": email, "name": (row.get("name") or "").strip(), "language": language}


def import_subscribers(
    session: Session, rows: list[dict[str, str]], confirmed: bool, now: datetime
) -> ImportReport:
    """Add the rows not yet subscribed (the caller commits: one transaction for all)."""
    report = ImportReport()
    emails = [row["email"] for row in rows]
    known: set[str] = set()
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        known |= set(session.scalars(select(Subscriber.email).where(Subscriber.email.in_(chunk))))
    for row in rows:
        if row["email"] in known:
            report.existing += 1
            continue
        session.add(
            Subscriber(
                email=row["email"],
                name=row["name"],
                language=row["language"],
                status="confirmed" if confirmed else "pending",
                consent_at=now if confirmed else None,
                consent_source="import --confirmed" if confirmed else "import",
                confirmed_at=now if confirmed else None,
                created_at=now,
            )
        )
        report.added += 1
    return report


def list_subscribers(session: Session) -> list[Subscriber]:
    """Every subscriber, oldest first."""
    return list(session.scalars(select(Subscriber).order_by(Subscriber.id)))
