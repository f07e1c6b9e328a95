"""Times as a person types and reads them: in the practice's zone (DISTRIBUTOR_TIMEZONE)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from distributor.errors import UserError

EXAMPLE = "2026-03-03 08:00"


def parse_at(text: str | None, zone: ZoneInfo, now: datetime) -> datetime | None:
    """A future time in UTC; one without an offset is read in the practice's zone."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"not a time: {text!r}",
            f"Write it like {EXAMPLE} (in {zone.key}) or 2026-03-03T08:00+01:00.",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    moment = moment.astimezone(UTC)
    if moment < now:
        raise UserError(
            f"{text!r} is in the past ({shown(moment, zone)})", "Give a time still to come."
        )
    return moment


def shown(moment: datetime | str | None, zone: ZoneInfo) -> str:
    """A time in the practice's zone, to the minute ("2026-03-03 08:00 CET"); "-" for none."""
    if moment is None or moment == "":
        return "-"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
