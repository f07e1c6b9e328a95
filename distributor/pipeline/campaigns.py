"""Every admin action on campaigns, as plain functions the CLI, the web admin, the JSON API and
Celery tasks call alike: list, show, create, edit a draft, approve, send now, cancel, retry the
failed deliveries, and send a test. Each takes sessions (or a session), plain values and `now`,
and returns plain values; a refusal is a UserError saying what to do instead.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from distributor.channels.base import Channel
from distributor.content.digest import build_digest
from distributor.errors import UserError
from distributor.model import Post as PostRead
from distributor.model import Receipt
from distributor.pipeline.delivery.compose import Composer, ComposeSettings
from distributor.pipeline.delivery.planning import OPEN_CAMPAIGNS, new_post_campaign
from distributor.pipeline.delivery.progress import (
    PROGRESS_KEYS,
    Failure,
    channel_progress,
    failing_channels,
    iso,
    recent_failures,
)
from distributor.pipeline.delivery.schedule import dispatch_one
from distributor.pipeline.delivery.states import (
    CampaignState,
    IllegalTransition,
    approve,
    cancel,
    get_campaign,
    reopen_for_retry,
    resume,
    state_of,
)
from distributor.pipeline.stats import campaign_bounces, campaign_stats
from distributor.store.queries import get_post, record_event
from distributor.store.tables import Campaign, Delivery, Post

StartSend = Callable[[sessionmaker[Session], int], str]
EDITABLE = ("subject", "summary", "highlights", "social")


@dataclass(frozen=True)
class CampaignRow:
    """One line of the campaign list."""

    id: int
    post_id: int | None
    title: str
    state: str
    send_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        """The `campaigns list --json` keys."""
        return {**vars(self), "send_at": iso(self.send_at)}


def campaign_title(campaign: Campaign, post_title: str | None) -> str:
    """The post's title, or "weekly digest, <date>" for a weekly campaign."""
    if post_title:
        return post_title
    if campaign.kind == "weekly" and campaign.send_at:
        return f"weekly digest, {campaign.send_at:%Y-%m-%d}"
    return ""


def list_campaigns(session: Session) -> list[CampaignRow]:
    """Every campaign, newest first."""
    rows = session.execute(
        select(Campaign, Post.title).outerjoin(Post).order_by(Campaign.id.desc())
    ).all()
    return [
        CampaignRow(c.id, c.post_id, campaign_title(c, title), c.state, c.send_at)
        for c, title in rows
    ]


@dataclass(frozen=True)
class CampaignDetail:
    """One campaign: its state, progress per channel and recent failures."""

    id: int
    state: str
    send_at: datetime | None
    paused_reason: str | None
    channels: dict[str, dict[str, int]]
    failures: list[Failure]
    edits: dict[str, Any] = field(default_factory=dict)
    summary: str | None = None  # what goes out: the admin's edit, else the digest's
    summary_source: str | None = None  # "extractive", "ai" or "edited"
    stats: dict[str, Any] = field(default_factory=dict)  # delivered, bounced, clicks, ...
    bounces: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The `campaigns show --json` object."""
        shown = {
            "id": self.id,
            "state": self.state,
            "channels": self.channels,
            "failures": [failure.as_json() for failure in self.failures],
        }
        if self.summary is not None:
            shown |= {"summary": self.summary, "summary_source": self.summary_source}
        return shown | {"stats": self.stats, "bounces": self.bounces}


def show_campaign(session: Session, campaign_id: int) -> CampaignDetail:
    """A campaign with its progress per channel and its most recent failures."""
    campaign = get_campaign(session, campaign_id)
    channels = channel_progress(session, campaign_id)
    for name in campaign.channels:
        channels.setdefault(name, dict.fromkeys(PROGRESS_KEYS, 0))
    edits = dict(campaign.edits or {})
    post = session.get(Post, campaign.post_id) if campaign.post_id else None
    summary, source = summary_shown(edits, dict(post.digest or {}) if post else None)
    return CampaignDetail(
        id=campaign.id,
        state=state_of(campaign).value,
        send_at=campaign.send_at,
        paused_reason=campaign.paused_reason,
        channels=channels,
        failures=recent_failures(session, campaign_id),
        edits=edits,
        summary=summary,
        summary_source=source,
        stats=campaign_stats(session, campaign_id),
        bounces=campaign_bounces(session, campaign_id),
    )


def summary_shown(
    edits: dict[str, Any], digest: dict[str, Any] | None
) -> tuple[str | None, str | None]:
    """The summary a post campaign sends and where it came from (None for a weekly digest)."""
    if "summary" in edits:
        return edits["summary"], "edited"
    if not digest:
        return None, None
    return digest.get("summary", ""), digest.get("summary_source", "extractive")


def create_campaign(
    session: Session, post_id: int, channels: Sequence[str], now: datetime
) -> Campaign:
    """A draft campaign for any recorded post (baseline posts included)."""
    post = get_post(session, post_id)
    if not post.digest:  # a baseline post: recorded, never digested
        post.digest = stored_post_digest(post)
    open_one = session.scalar(
        select(Campaign.id).where(
            Campaign.post_id == post_id,
            Campaign.kind == "post",
            Campaign.state.in_(OPEN_CAMPAIGNS),
        )
    )
    if open_one is not None:
        raise UserError(
            f"post {post_id} already has campaign {open_one}",
            f"Edit, approve or cancel that one: `distributor campaigns show {open_one}`.",
        )
    campaign = new_post_campaign(session, post, channels, None, now)
    record_event(session, "campaign.created", at=now, campaign_id=campaign.id, post_id=post_id)
    return campaign


def stored_post_digest(post: Post) -> dict[str, Any]:
    """The digest of a recorded post, from the body stored when it was found."""
    read = PostRead(
        guid=post.guid,
        title=post.title,
        body=post.body,
        body_format=post.body_format,  # type: ignore[arg-type]
        url=post.url,
        published=post.published,
    )
    digest = build_digest(read)
    return digest.as_json() | {"slug": digest.slug}


def edit_draft(
    session: Session,
    campaign_id: int,
    *,
    subject: str | None = None,
    summary: str | None = None,
    highlights: Sequence[str] | None = None,
    social: dict[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Store the admin's edits on a draft (None leaves a field as it is); returns all edits."""
    campaign = get_campaign(session, campaign_id)
    if state_of(campaign) is not CampaignState.DRAFT:
        raise IllegalTransition(
            f"campaign {campaign_id} is {campaign.state}: only a draft can be edited",
            "Cancel it and create a new one with `distributor campaigns create --post ID`.",
        )
    edits = dict(campaign.edits or {})
    for key, value in (("subject", subject), ("summary", summary)):
        if value is not None:
            edits[key] = _text(value, key)
    if highlights is not None:
        edits["highlights"] = [_text(item, "highlight") for item in highlights]
    for channel, texts in (social or {}).items():
        if channel not in campaign.channels:
            raise UserError(f"campaign {campaign_id} does not post to {channel!r}")
        edits.setdefault("social", {})[channel] = [_text(text, "post") for text in texts]
    campaign.edits = edits
    return edits


def _text(value: str, what: str) -> str:
    text = value.strip()
    if not text:
        raise UserError(f"the {what} is empty", f"Give the {what} some text.")
    return text


def approve_campaign(
    session: Session, campaign_id: int, send_at: datetime, now: datetime
) -> Campaign:
    """Approve a draft to go out at `send_at` (or move an approved one to that time)."""
    return approve(session, campaign_id, send_at, now)


def cancel_campaign(session: Session, campaign_id: int, now: datetime) -> int:
    """Cancel a scheduled or sending campaign; returns how many unsent rows were cancelled."""
    return cancel(session, campaign_id, now)


@dataclass(frozen=True)
class SendReport:
    """What sending one campaign did: its own rows only."""

    campaign_id: int
    state: str
    how: str  # "sent 3, failed 1, ..." (in-process) or "2 send task(s) queued" (workers)
    channels: dict[str, dict[str, int]]
    failing: dict[str, str]  # channel -> reason, when every delivery of that channel failed

    def totals(self) -> dict[str, int]:
        """Counts over every channel of this campaign."""
        return {key: sum(c.get(key, 0) for c in self.channels.values()) for key in PROGRESS_KEYS}


def send_now(
    sessions: sessionmaker[Session], campaign_id: int, now: datetime, start: StartSend
) -> SendReport:
    """Approve (or resume) the campaign for now, plan its rows and start sending them."""
    with sessions.begin() as session:
        campaign = get_campaign(session, campaign_id)
        current = state_of(campaign)
        if current is CampaignState.PAUSED:
            resume(session, campaign_id)
        elif current in (CampaignState.DRAFT, CampaignState.APPROVED):
            approve(session, campaign_id, now, now)
        elif current is not CampaignState.SENDING:
            raise IllegalTransition(
                f"campaign {campaign_id} is {current.value}: nothing to send",
                "Retry its failed deliveries with `distributor campaigns retry ID`.",
            )
    dispatch_one(sessions, campaign_id, now)
    how = start(sessions, campaign_id)
    return send_report(sessions, campaign_id, how)


def send_report(sessions: sessionmaker[Session], campaign_id: int, how: str) -> SendReport:
    """The campaign's progress after a send started."""
    with sessions() as session:
        campaign = get_campaign(session, campaign_id)
        return SendReport(
            campaign_id,
            campaign.state,
            how,
            channel_progress(session, campaign_id),
            failing_channels(session, campaign_id),
        )


def retry_failed(
    sessions: sessionmaker[Session], campaign_id: int, now: datetime, start: StartSend
) -> tuple[int, SendReport]:
    """Give every failed delivery of the campaign a new try, now; returns (rows, report)."""
    with sessions.begin() as session:
        reopen_for_retry(session, campaign_id)
        rows = session.execute(
            update(Delivery)
            .where(
                Delivery.campaign_id == campaign_id,
                Delivery.state.in_(("failed_permanent", "failed_temporary")),
            )
            .values(state="pending", attempts=0, next_attempt_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        detail = {"rows": rows or 0}
        record_event(session, "campaign.retried", at=now, campaign_id=campaign_id, detail=detail)
    how = start(sessions, campaign_id)
    return rows or 0, send_report(sessions, campaign_id, how)


@dataclass(frozen=True)
class TestSend:
    """Where a test went and the channel's answer."""

    channel: str
    to: str
    receipt: Receipt


def send_test(
    session: Session,
    compose: ComposeSettings,
    open_channel: Callable[[str], Channel],
    campaign_id: int,
    now: datetime,
    *,
    to: str | None = None,
    channel: str | None = None,
) -> TestSend:
    """One test of the campaign: an email to `to`, or one social post for `channel` (to the
    outbox channel `open_channel` gives). Marked TEST; no delivery rows, no state change."""
    if (to is None) == (channel is None):
        raise UserError("give either an address (--to) or a social channel (--channel)")
    composer = Composer(compose, session, campaign_id)
    nonce = secrets.token_hex(4)
    name = "email" if to is not None else str(channel)
    item = (
        composer.test_email(to, now, nonce)
        if to is not None
        else composer.test_snippet(name, nonce)
    )
    sender = open_channel(name)
    try:
        receipt = sender.send(item)
    finally:
        sender.close()
    return TestSend(name, to or name, receipt)
