"""Standalone date lines ("11/09/24", "12 maart 2024", "March 12, 2024") -> datetime."""

from __future__ import annotations

import re
from datetime import UTC, datetime

MONTHS = {
    # nl
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mrt": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
    # en
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
    "mar": 3,
    "oct": 10,
    # fr
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "janv": 1,
    "févr": 2,
    "juil": 7,
    "déc": 12,
    # de
    "januar": 1,
    "februar": 2,
    "märz": 3,
    "dezember": 12,
}
WEEKDAYS = (
    "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|monday|tuesday|wednesday|"
    "thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
)
_MONTH = r"(?P<month>[a-zA-Zéûä]{3,9})\.?"
_PREFIX = (
    rf"(?:(?:gepubliceerd|geplaatst|bijgewerkt|laatst bijgewerkt)(?: op)?|published(?: on)?|"
    rf"posted(?: on)?|updated(?: on)?|publié(?: le)?|mis à jour(?: le)?|date|datum)?\s*:?\s*"
    rf"(?:(?:{WEEKDAYS}),?\s+)?"
)
_NUMERIC = re.compile(
    rf"^{_PREFIX}(?P<d>\d{{1,2}})[/.\-](?P<m>\d{{1,2}})[/.\-](?P<y>\d{{2,4}})$", re.I
)
_ISO = re.compile(
    rf"^{_PREFIX}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})(?:[T ][\d:.+Z-]*)?$", re.I
)
_DAY_MONTH = re.compile(
    rf"^{_PREFIX}(?P<d>\d{{1,2}})(?:er|e|st|nd|rd|th)?\s+{_MONTH}\s+(?P<y>\d{{4}})$", re.I
)
_MONTH_DAY = re.compile(
    rf"^{_PREFIX}{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})$", re.I
)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _build(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def parse_date_line(line: str) -> datetime | None:
    """The date a line consists of (day/month/year for numbers, as in Belgium), at 00:00 UTC."""
    text = line.strip().rstrip(".").strip()
    if len(text) > 60:
        return None
    match = _NUMERIC.match(text)
    if match:
        return _build(_year(match["y"]), int(match["m"]), int(match["d"]))
    match = _ISO.match(text)
    if match:
        return _build(int(match["y"]), int(match["m"]), int(match["d"]))
    match = _DAY_MONTH.match(text) or _MONTH_DAY.match(text)
    if match:
        month = MONTHS.get(match["month"].lower())
        if month:
            return _build(int(match["y"]), month, int(match["d"]))
    return None
