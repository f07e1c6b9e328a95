"""The campaign state machine: the states, and one function per transition.

draft → approved (now or at a time) → sending → sent | failed | paused | cancelled;
paused → sending (resumed); draft, approved, sending and paused → cancelled. Nothing else
assigns a campaign's state. A transition the machine does not allow is refused with a
UserError saying what the campaign is and what can be done instead.

Transitions that workers race on (start, finish, pause) are guarded UPDATEs that move the
campaign only if it is still in the expected state, and return whether they did.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from distributor.errors import UserError
from distributor.store.queries import record_event
from distributor.store.tables import Campaign, Delivery


class CampaignState(StrEnum):
    """Where a campaign is in its life."""

    DRAFT = "draft"
    APPROVED = "approved"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    PAUSED = "paused"
    CANCELLED = "cancelled"


S = CampaignState
ALLOWED: dict[CampaignState, frozenset[CampaignState]] = {
    S.DRAFT: frozenset({S.APPROVED, S.CANCELLED}),
    S.APPROVED: frozenset({S.APPROVED, S.SENDING, S.CANCELLED}),
    S.SENDING: frozenset({S.SENT, S.FAILED, S.PAUSED, S.CANCELLED}),
    S.PAUSED: frozenset({S.SENDING, S.CANCELLED}),
    S.SENT: frozenset({S.SENDING}),  # retrying its failed rows
    S.FAILED: frozenset({S.SENDING}),  # retrying its failed rows
    S.CANCELLED: frozenset(),
}
UNSENT_ROWS = ("pending", "failed_temporary")
LIST_HINT = "List campaigns with `distributor campaigns list`."


class IllegalTransition(UserError):
    """A campaign asked to move where its state machine does not allow."""


def get_campaign(session: Session, campaign_id: int) -> Campaign:
    """The campaign, or a UserError saying there is none."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise UserError(f"there is no campaign {campaign_id}", LIST_HINT)
    return campaign


def state_of(campaign: Campaign) -> CampaignState:
    """The campaign's state as the enum."""
    return CampaignState(campaign.state)


def require(campaign: Campaign, target: CampaignState, action: str) -> None:
    """Refuse (IllegalTransition) unless the campaign may move to `target`."""
    current = state_of(campaign)
    if target not in ALLOWED[current]:
        already = "already " if current in (S.SENT, S.FAILED, S.CANCELLED) else ""
        raise IllegalTransition(
            f"cannot {action} campaign {campaign.id}: it is {already}{current.value}",
            _hint(current),
        )


def _hint(current: CampaignState) -> str:
    if current is S.DRAFT:
        return "Approve it first: `distributor campaigns approve ID`."
    if current in (S.SENT, S.FAILED):
        return "It is finished; `distributor campaigns retry ID` re-sends its failed deliveries."
    if current is S.CANCELLED:
        return "A cancelled campaign is final; create a new one with `campaigns create --post ID`."
    return "See its state with `distributor campaigns show ID`."


def approve(session: Session, campaign_id: int, send_at: datetime, now: datetime) -> Campaign:
    """draft (or approved: rescheduled) → approved, to go out at `send_at`."""
    campaign = get_campaign(session, campaign_id)
    require(campaign, S.APPROVED, "approve")
    campaign.state, campaign.send_at, campaign.approved_at = S.APPROVED.value, send_at, now
    return campaign


def resume(session: Session, campaign_id: int) -> Campaign:
    """paused → sending, with its failure streak cleared."""
    campaign = get_campaign(session, campaign_id)
    if state_of(campaign) is not S.PAUSED:
        raise IllegalTransition(f"campaign {campaign_id} is {campaign.state}, not paused")
    campaign.state, campaign.paused_reason, campaign.consecutive_failures = S.SENDING.value, None, 0
    return campaign


def initial_state(auto_approve: bool) -> CampaignState:
    """The state a new campaign starts in: approved when its source auto-approves, else draft."""
    return S.APPROVED if auto_approve else S.DRAFT


def start_sending(session: Session, campaign_id: int) -> bool:
    """approved → sending (once all rows are planned); False when it was no longer approved."""
    return _move(
        session, campaign_id, S.APPROVED, S.SENDING, consecutive_failures=0, paused_reason=None
    )


def finish(session: Session, campaign_id: int, any_sent: bool, now: datetime) -> S | None:
    """sending → sent (or failed when nothing went out); None when it was no longer sending."""
    target = S.SENT if any_sent else S.FAILED
    moved = _move(session, campaign_id, S.SENDING, target, finished_at=now)
    return target if moved else None


def pause(session: Session, campaign_id: int, reason: str, now: datetime) -> bool:
    """sending → paused with the reason an admin can act on; False when not sending."""
    moved = _move(session, campaign_id, S.SENDING, S.PAUSED, paused_reason=reason)
    if moved:
        detail = {"reason": reason}
        record_event(session, "campaign.paused", at=now, campaign_id=campaign_id, detail=detail)
    return moved


def cancel(session: Session, campaign_id: int, now: datetime) -> int:
    """draft, approved, sending or paused → cancelled; unsent rows are cancelled too.

    Rows already sent or finally failed are untouched; a row a worker is sending right now
    records its own outcome. Returns how many rows were cancelled.
    """
    campaign = get_campaign(session, campaign_id)
    require(campaign, S.CANCELLED, "cancel")
    campaign.state, campaign.finished_at = S.CANCELLED.value, now
    rows = session.execute(
        update(Delivery)
        .where(Delivery.campaign_id == campaign_id, Delivery.state.in_(UNSENT_ROWS))
        .values(state="cancelled", next_attempt_at=None, error="cancelled by the admin")
        .execution_options(synchronize_session=False)
    ).rowcount
    detail = {"rows": rows or 0}
    record_event(session, "campaign.cancelled", at=now, campaign_id=campaign_id, detail=detail)
    return rows or 0


def reopen_for_retry(session: Session, campaign_id: int) -> Campaign:
    """sent, failed or paused → sending, to retry its failed rows (sending stays sending)."""
    campaign = get_campaign(session, campaign_id)
    if state_of(campaign) is S.SENDING:
        return campaign
    require(campaign, S.SENDING, "retry")
    campaign.state, campaign.finished_at, campaign.paused_reason = S.SENDING.value, None, None
    campaign.consecutive_failures = 0
    return campaign


def _move(session: Session, campaign_id: int, source: S, target: S, **values: Any) -> bool:
    """Move the campaign from `source` to `target` if it is still in `source`."""
    assert target in ALLOWED[source], f"{source} → {target} is not a transition"
    moved = session.execute(
        update(Campaign)
        .where(Campaign.id == campaign_id, Campaign.state == source.value)
        .values(state=target.value, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(moved.rowcount)
