"""The admin's own summary: replace a campaign's summary before it is approved."""

from __future__ import annotations

from sqlalchemy.orm import Session

from distributor.content.blocks import normalise_space
from distributor.errors import UserError
from distributor.store.tables import Campaign, Post

MAX_SUMMARY_CHARS = 1_000
EDITABLE_STATES = ("draft",)


def edit_summary(session: Session, campaign_id: int, text: str) -> dict[str, object]:
    """Set the summary of a draft campaign's post (summary_source "edited"); the new digest."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise UserError(
            f"there is no campaign {campaign_id}", "List them with `distributor campaigns list`."
        )
    if campaign.state not in EDITABLE_STATES:
        raise UserError(
            f"campaign {campaign_id} is {campaign.state}: its summary can no longer change",
            "Edit the summary before approving the campaign.",
        )
    post = session.get(Post, campaign.post_id) if campaign.post_id else None
    if post is None or not post.digest:
        raise UserError(f"campaign {campaign_id} has no post summary to edit")
    summary = normalise_space(text)
    if not summary or len(summary) > MAX_SUMMARY_CHARS:
        raise UserError(
            f"a summary must have 1 to {MAX_SUMMARY_CHARS} characters, not {len(summary)}",
            "Give the new summary as one quoted argument.",
        )
    post.digest = {**post.digest, "summary": summary, "summary_source": "edited"}
    return post.digest
