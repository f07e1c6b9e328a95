"""When campaigns go out: now, at a weekly slot ("Tuesday 08:00 Europe/Brussels"), or at a time
the admin chose; and `dispatch_due`, which plans every approved campaign whose time has come."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from distributor.errors import UserError
from distributor.pipeline.delivery.claim import return_expired
from distributor.pipeline.delivery.planning import finish_done_campaigns, plan_deliveries
from distributor.pipeline.delivery.states import CampaignState, start_sending
from distributor.store.tables import Campaign

DAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "maandag", "lundi"),
            ("tuesday", "dinsdag", "mardi"),
            ("wednesday", "woensdag", "mercredi"),
            ("thursday", "donderdag", "jeudi"),
            ("friday", "vrijdag", "vendredi"),
            ("saturday", "zaterdag", "samedi"),
            ("sunday", "zondag", "dimanche"),
        )
    )
    for name in names
}
SLOT = re.compile(r"^\s*(\w+)\s+(\d{1,2}):(\d{2})\s+(\S+)\s*$")


@dataclass(frozen=True)
class WeeklySlot:
    """A weekday and local time in a time zone, such as Tuesday 08:00 in Europe/Brussels."""

    weekday: int  # Monday is 0
    at: time
    zone: ZoneInfo

    def next_after(self, now: datetime) -> datetime:
        """The first occurrence of this slot at or after `now` (aware UTC)."""
        local = now.astimezone(self.zone)
        days_ahead = (self.weekday - local.weekday()) % 7
        for extra in (0, 7):
            day = local.date() + timedelta(days=days_ahead + extra)
            candidate = datetime.combine(day, self.at, tzinfo=self.zone)
            if candidate >= local:
                return candidate.astimezone(UTC)
        raise AssertionError("a weekly slot always recurs within two weeks")


def parse_slot(text: str) -> WeeklySlot:
    """Read "Tuesday 08:00 Europe/Brussels" (English, Dutch or French day names)."""
    hint = 'Write a weekday, a time and a time zone, such as "Tuesday 08:00 Europe/Brussels".'
    match = SLOT.match(text)
    if not match or match.group(1).lower() not in DAYS:
        raise UserError(f"not a weekly send slot: {text!r}", hint)
    day, hour, minute, zone = match.groups()
    if int(hour) > 23 or int(minute) > 59:
        raise UserError(f"not a time of day in {text!r}", hint)
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UserError(f"unknown time zone {zone!r} in {text!r}", hint) from exc
    return WeeklySlot(DAYS[day.lower()], time(int(hour), int(minute)), tz)


def send_time(now: datetime, slot: str = "", at: datetime | None = None) -> datetime:
    """When a campaign goes out: the admin's time if given, else the next slot, else now."""
    if at is not None:
        if at.tzinfo is None:
            raise UserError(
                f"the time {at.isoformat()} has no time zone",
                "Give an ISO time with an offset, such as 2026-03-03T08:00+01:00.",
            )
        return at.astimezone(UTC)
    if slot.strip():
        return parse_slot(slot).next_after(now)
    return now


def due_campaign_ids(session: Session, now: datetime) -> list[int]:
    """Approved campaigns whose send time has come, oldest first."""
    query = (
        select(Campaign.id)
        .where(Campaign.state == CampaignState.APPROVED.value, Campaign.send_at <= now)
        .order_by(Campaign.send_at, Campaign.id)
    )
    return list(session.scalars(query))


def dispatch_due(
    sessions: sessionmaker[Session], now: datetime, batch_size: int = 1000
) -> list[int]:
    """Plan the deliveries of every due campaign and start sending it; returns their ids.

    Rows whose lease expired go back to pending first (their worker died).

    Planning is idempotent (insert-or-ignore on the unique key), and a campaign moves from
    approved to sending only once all its rows exist, so a crash mid-plan is simply re-planned
    on the next tick and workers never see a half-planned campaign.
    """
    with sessions.begin() as session:
        return_expired(session, now)
        due = due_campaign_ids(session, now)
    started = []
    for campaign_id in due:
        plan_deliveries(sessions, campaign_id, now, batch_size=batch_size)
        with sessions.begin() as session:
            if start_sending(session, campaign_id):
                started.append(campaign_id)
    finish_done_campaigns(sessions, now)
    return started


def dispatch_one(
    sessions: sessionmaker[Session], campaign_id: int, now: datetime, batch_size: int = 1000
) -> bool:
    """Plan one approved campaign's deliveries and start sending it (its time has come)."""
    with sessions.begin() as session:
        return_expired(session, now)
    plan_deliveries(sessions, campaign_id, now, batch_size=batch_size)
    with sessions.begin() as session:
        return start_sending(session, campaign_id)
