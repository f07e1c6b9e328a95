"""`distributor campaigns list|approve|send|show`: see and release campaigns."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select

from distributor.cli.app import app
from distributor.cli.run import embedded_sender, open_sessions
from distributor.config import Settings
from distributor.errors import UserError
from distributor.pipeline.campaign import approve, channel_summary
from distributor.pipeline.run import TickReport, drain
from distributor.pipeline.schedule import dispatch_due, send_time
from distributor.pipeline.stats import campaign_bounces, campaign_stats
from distributor.store.tables import Campaign, Post

campaigns_app = typer.Typer(
    help="Newsletters and social posts, one per new post.", no_args_is_help=True
)
app.add_typer(campaigns_app, name="campaigns")
out = Console(highlight=False, soft_wrap=True)
JSON_OPTION = typer.Option(False, "--json", help="Print JSON.")


def iso(moment: datetime | None) -> str | None:
    """An ISO time or None."""
    return moment.isoformat() if moment else None


def parse_at(text: str | None) -> datetime | None:
    """An ISO time with an offset (a time without one is refused: it would be ambiguous)."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UserError(
            f"not an ISO time: {text!r}", "Write it like 2026-03-03T08:00+01:00."
        ) from exc
    if moment.tzinfo is None:
        raise UserError(f"{text!r} has no time zone", "Add an offset, like 2026-03-03T08:00+01:00.")
    return moment.astimezone(UTC)


def weekly_title(campaign: Campaign) -> str:
    """A title for a campaign without a post: the weekly digest of its week."""
    if campaign.kind == "weekly" and campaign.send_at:
        return f"weekly digest, {campaign.send_at:%Y-%m-%d}"
    return ""


@campaigns_app.command("list")
def list_command(as_json: bool = JSON_OPTION) -> None:
    """List campaigns, newest first."""
    with open_sessions(Settings()) as sessions, sessions() as session:
        rows = session.execute(
            select(Campaign, Post.title).outerjoin(Post).order_by(Campaign.id.desc())
        ).all()
    items = [
        {
            "id": c.id,
            "post_id": c.post_id,
            "title": title or weekly_title(c),
            "state": c.state,
            "send_at": iso(c.send_at),
        }
        for c, title in rows
    ]
    if as_json:
        typer.echo(json.dumps(items, ensure_ascii=False))
        return
    table = Table("id", "post", "title", "state", "send at")
    for item in items:
        table.add_row(
            *(escape(str(item[k] or "")) for k in ("id", "post_id", "title", "state", "send_at"))
        )
    out.print(table)


@campaigns_app.command("approve")
def approve_command(
    campaign_id: int = typer.Argument(..., metavar="ID"),
    at: str | None = typer.Option(
        None, "--at", help="Send time (ISO, with offset); default: the weekly slot, else now."
    ),
) -> None:
    """Approve a draft to go out at --at (default: DISTRIBUTOR_SEND_SLOT's next slot, else now)."""
    settings, now = Settings(), datetime.now(UTC)
    when = parse_at(at) or send_time(now, settings.send_slot)
    with open_sessions(settings) as sessions, sessions.begin() as session:
        campaign = approve(session, campaign_id, when, now)
        out.print(f"campaign {campaign.id} {campaign.state}, sends at {iso(campaign.send_at)}")


@campaigns_app.command("send")
def send_command(campaign_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Approve and dispatch now (queued to the workers, or sent in-process without a broker)."""
    settings = Settings()
    now = datetime.now(UTC)
    with open_sessions(settings) as sessions:
        with sessions.begin() as session:
            approve(session, campaign_id, now, now)
        dispatch_due(sessions, now, batch_size=settings.send_batch_size)
        if settings.broker_url:
            from distributor.tasks import fan_out

            out.print(f"campaign {campaign_id}: {fan_out()} send task(s) queued for the workers")
            return
        report = drain(embedded_sender(settings, sessions), TickReport())
        out.print(
            f"campaign {campaign_id}: sent {report.sent}, failed {report.failed}, "
            f"to retry {report.retrying}"
        )


@campaigns_app.command("show")
def show_command(
    campaign_id: int = typer.Argument(..., metavar="ID"), as_json: bool = JSON_OPTION
) -> None:
    """A campaign's state and its deliveries per channel."""
    with open_sessions(Settings()) as sessions, sessions() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise UserError(
                f"there is no campaign {campaign_id}",
                "List them with `distributor campaigns list`.",
            )
        channels = channel_summary(session, campaign_id)
        stats = campaign_stats(session, campaign_id)
        bounces = campaign_bounces(session, campaign_id)
    for name in campaign.channels:
        channels.setdefault(name, {"pending": 0, "claimed": 0, "sent": 0, "failed": 0})
    shown: dict[str, Any] = {"id": campaign.id, "state": campaign.state, "channels": channels}
    shown |= {"stats": stats, "bounces": bounces}
    if as_json:
        typer.echo(json.dumps(shown))
        return
    out.print(f"campaign {campaign.id}: {campaign.state}, sends at {iso(campaign.send_at)}")
    if campaign.paused_reason:
        out.print(f"  {escape(campaign.paused_reason)}")
    for name, counts in channels.items():
        out.print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print_stats(stats, bounces)


def print_stats(stats: dict[str, Any], bounces: list[dict[str, Any]]) -> None:
    """The campaign's counts, its clicks per link and its bounces with the servers' words."""
    counts = ("delivered", "bounced", "complaints", "unsubscribed")
    out.print("  stats: " + ", ".join(f"{name} {stats[name]}" for name in counts))
    opens = stats["opens"]
    if opens["readers"] or opens["apple_privacy_proxy"]:
        out.print(
            f"  opens: {opens['readers']} (plus {opens['apple_privacy_proxy']} by Apple Mail "
            "Privacy Protection's proxy, which opens every message)"
        )
    for url, count in stats["clicks"].items():
        out.print(f"  clicks {count}: {escape(url)}")
    for bounce in bounces:
        out.print(
            f"  {bounce['kind']} {escape(bounce['recipient'])}: "
            f"{escape(bounce['status'])} {escape(bounce['diagnostic'])}"
        )
