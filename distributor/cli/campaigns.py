"""`distributor campaigns ...`: list, show, create, edit, preview, approve, send, test, cancel,
retry. Each command parses its input, calls one pipeline function and formats the answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from distributor.cli.app import app
from distributor.cli.times import parse_at, shown
from distributor.errors import UserError
from distributor.pipeline import campaigns as actions
from distributor.pipeline.delivery.schedule import send_time
from distributor.pipeline.preview import preview_campaign
from distributor.wiring import from_environment

campaigns_app = typer.Typer(
    help="Newsletters and social posts, one per new post.", no_args_is_help=True
)
app.add_typer(campaigns_app, name="campaigns")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
JSON_OPTION = typer.Option(False, "--json", help="Print JSON.")
ID = typer.Argument(..., metavar="ID")
EXIT_CHANNEL_FAILED = 1


def iso(moment: datetime | None) -> str | None:
    """An ISO time or None."""
    return moment.isoformat() if moment else None


def echo_json(value: object) -> None:
    """Print a value as one line of JSON."""
    typer.echo(json.dumps(value, ensure_ascii=False))


@campaigns_app.command("list")
def list_command(as_json: bool = JSON_OPTION) -> None:
    """List campaigns, newest first."""
    wiring = from_environment()
    with wiring.sessions() as sessions, sessions() as session:
        items = [row.as_json() for row in actions.list_campaigns(session)]
    if as_json:
        echo_json(items)
        return
    table = Table("id", "post", "title", "state", "send at")
    for item in items:
        table.add_row(
            *(escape(str(item[k] or "")) for k in ("id", "post_id", "title", "state")),
            shown(item["send_at"], wiring.settings.zone),
        )
    out.print(table)


@campaigns_app.command("create")
def create_command(
    post_id: int = typer.Option(..., "--post", help="The post's id (`distributor posts list`)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Make a draft campaign for any recorded post, including posts there before the first poll."""
    wiring = from_environment()
    with wiring.sessions() as sessions, sessions.begin() as session:
        campaign = actions.create_campaign(session, post_id, wiring.channels, datetime.now(UTC))
        created = {"id": campaign.id, "state": campaign.state}
    if as_json:
        echo_json(created)
        return
    out.print(f"campaign {created['id']} created ({created['state']}) for post {post_id}")


@campaigns_app.command("edit")
def edit_command(
    campaign_id: int = ID,
    subject: str | None = typer.Option(None, "--subject", help="The email's subject."),
    summary: str | None = typer.Option(None, "--summary", help="The summary shown first."),
    highlight: list[str] | None = typer.Option(
        None, "--highlight", help="A highlight; repeat it: the list replaces the post's own."
    ),
    social: list[str] | None = typer.Option(
        None, "--social", help="CHANNEL=TEXT: one post's text; repeat for a thread."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Edit a draft before approval; what you edit is what gets sent."""
    threads: dict[str, list[str]] = {}
    for item in social or []:
        channel, sep, text = item.partition("=")
        if not sep:
            raise UserError(f"--social {item!r} is not CHANNEL=TEXT", "Like: --social x='…'")
        threads.setdefault(channel.strip(), []).append(text)
    with from_environment().sessions() as sessions, sessions.begin() as session:
        edits = actions.edit_draft(
            session,
            campaign_id,
            subject=subject,
            summary=summary,
            highlights=highlight or None,
            social=threads,
        )
    if as_json:
        echo_json({"id": campaign_id, "state": "draft", "edits": edits})
        return
    out.print(f"campaign {campaign_id}: draft edited ({', '.join(edits) or 'nothing'})")


@campaigns_app.command("preview")
def preview_command(
    campaign_id: int = ID,
    out_dir: Path | None = typer.Option(None, "--out", help="Write each language's .html/.eml."),
) -> None:
    """The email per language and each social thread with its length against the limit."""
    wiring = from_environment()
    with wiring.sessions() as sessions, sessions() as session:
        preview = preview_campaign(
            session,
            wiring.compose_settings(for_preview=True),
            wiring.snippet_limits(),
            campaign_id,
            datetime.now(UTC),
        )
    for email in preview.emails:
        out.print(f"[bold]email ({email.language})[/]: {escape(email.subject)}")
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            for suffix, content in (("html", email.html.encode()), ("eml", email.eml)):
                path = out_dir / f"newsletter-{email.language}.{suffix}"
                path.write_bytes(content)
                out.print(f"  {escape(str(path.resolve()))}")
    for channel, posts in preview.social.items():
        for number, post in enumerate(posts, 1):
            size = f"{post.count}/{post.limit}" if post.limit else f"{post.count}"
            mark = "" if post.fits else " [red]too long[/]"
            out.print(f"[bold]{channel} {number}/{len(posts)}[/] · {size}{mark}")
            out.print(escape(post.text))


@campaigns_app.command("approve")
def approve_command(
    campaign_id: int = ID,
    at: str | None = typer.Option(
        None,
        "--at",
        help="Send time, e.g. 2026-03-03 08:00 (in DISTRIBUTOR_TIMEZONE unless it has an offset);"
        " default: the weekly slot, else now.",
    ),
) -> None:
    """Approve a draft to go out at --at (default: DISTRIBUTOR_SEND_SLOT's next slot, else now)."""
    wiring, now = from_environment(), datetime.now(UTC)
    zone = wiring.settings.zone
    when = parse_at(at, zone, now) or send_time(now, wiring.settings.send_slot)
    with wiring.sessions() as sessions, sessions.begin() as session:
        campaign = actions.approve_campaign(session, campaign_id, when, now)
        out.print(
            f"campaign {campaign.id} {campaign.state}, sends at {shown(campaign.send_at, zone)}"
        )


def print_send(report: actions.SendReport) -> None:
    """This campaign's counts; exit 1 with the reason when every delivery of a channel failed."""
    totals = report.totals()
    out.print(
        f"campaign {report.campaign_id} ({report.state}): {report.how}; its deliveries: "
        + ", ".join(f"{key} {value}" for key, value in totals.items())
    )
    for channel, reason in report.failing.items():
        err.print(f"{channel}: {escape(reason)}")
    if report.failing:
        raise typer.Exit(EXIT_CHANNEL_FAILED)


@campaigns_app.command("send")
def send_command(campaign_id: int = ID) -> None:
    """Send now (queued to the workers, or sent in-process without a broker)."""
    wiring = from_environment()
    with wiring.sessions() as sessions:
        report = actions.send_now(sessions, campaign_id, datetime.now(UTC), wiring.start_send())
    print_send(report)


@campaigns_app.command("retry")
def retry_command(campaign_id: int = ID) -> None:
    """Try every failed delivery of the campaign again, now."""
    wiring = from_environment()
    with wiring.sessions() as sessions:
        rows, report = actions.retry_failed(
            sessions, campaign_id, datetime.now(UTC), wiring.start_send()
        )
    out.print(f"campaign {campaign_id}: {rows} failed deliveries retried")
    print_send(report)


@campaigns_app.command("cancel")
def cancel_command(campaign_id: int = ID) -> None:
    """Stop a scheduled or sending campaign; what was sent stays sent."""
    with from_environment().sessions() as sessions, sessions.begin() as session:
        rows = actions.cancel_campaign(session, campaign_id, datetime.now(UTC))
    out.print(f"campaign {campaign_id} cancelled; {rows} unsent deliveries will not go out")


@campaigns_app.command("test")
def test_command(
    campaign_id: int = ID,
    to: str | None = typer.Option(None, "--to", help="Send one test email to this address."),
    channel: str | None = typer.Option(
        None, "--channel", help="Write one test post for this social channel to the outbox."
    ),
) -> None:
    """Send a test marked TEST (no delivery rows, no state change)."""
    wiring = from_environment()
    opener = wiring.open_channel if to is not None else wiring.open_outbox_channel
    if channel is not None and channel not in wiring.snippet_limits():
        raise UserError(
            f"unknown social channel {channel!r}",
            f"Use one of: {', '.join(wiring.snippet_limits())}.",
        )
    with wiring.sessions() as sessions, sessions() as session:
        result = actions.send_test(
            session,
            wiring.compose_settings(),
            opener,
            campaign_id,
            datetime.now(UTC),
            to=to,
            channel=channel,
        )
    if not result.receipt.ok:
        err.print(f"{result.channel}: {escape(result.receipt.error or 'failed')}")
        raise typer.Exit(EXIT_CHANNEL_FAILED)
    where = result.receipt.remote_id or result.to
    out.print(f"test of campaign {campaign_id} sent via {result.channel}: {escape(where)}")


@campaigns_app.command("show")
def show_command(campaign_id: int = ID, as_json: bool = JSON_OPTION) -> None:
    """A campaign's state, its deliveries per channel, recent failures, stats and bounces."""
    wiring = from_environment()
    zone = wiring.settings.zone
    with wiring.sessions() as sessions, sessions() as session:
        detail = actions.show_campaign(session, campaign_id)
    if as_json:
        echo_json(detail.as_json())
        return
    out.print(f"campaign {detail.id}: {detail.state}, sends at {shown(detail.send_at, zone)}")
    if detail.paused_reason:
        out.print(f"  {escape(detail.paused_reason)}")
    if detail.summary is not None:
        out.print(f"  summary ({detail.summary_source}): {escape(detail.summary)}")
    for name, counts in detail.channels.items():
        out.print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if detail.failures:
        table = Table("channel", "recipient", "attempts", "next try", "error")
        for f in detail.failures:
            table.add_row(
                f.channel,
                escape(f.recipient),
                str(f.attempts),
                shown(f.next_attempt_at, zone),
                escape(f.error or ""),
            )
        out.print(table)
    print_stats(detail.stats, detail.bounces)


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
