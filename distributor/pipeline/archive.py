"""The public archive of sent newsletters: which ones, and each as it was sent, without anyone's
name or personal links."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from distributor.errors import UserError
from distributor.pipeline.delivery.compose import Composer, ComposeSettings, campaign_digest
from distributor.render.archive import ArchiveEntry, sharing_tags, with_sharing_tags
from distributor.render.newsletter import PERSON_SLOT, filled_bodies
from distributor.store.tables import Campaign

ARCHIVE_SIZE = 500


def _entry(session: Session, compose: ComposeSettings, campaign: Campaign) -> ArchiveEntry | None:
    try:
        digest = campaign_digest(session, campaign, compose)
    except UserError:
        return None
    return ArchiveEntry(
        campaign_id=campaign.id,
        title=digest.title,
        summary=digest.summary,
        language=campaign.language or digest.language or compose.default_language,
        sent_at=campaign.finished_at or campaign.send_at or campaign.created_at,
        image=digest.image,
        slug_source=digest.slug or digest.title,
    )


def _sent_emails():
    return select(Campaign).where(Campaign.state == "sent")


def sent_newsletters(session: Session, compose: ComposeSettings) -> list[ArchiveEntry]:
    """The sent newsletters, newest first."""
    query = _sent_emails().order_by(Campaign.finished_at.desc(), Campaign.id.desc())
    entries = []
    for campaign in session.scalars(query.limit(ARCHIVE_SIZE)):
        if "email" in (campaign.channels or ["email"]):
            entry = _entry(session, compose, campaign)
            if entry is not None:
                entries.append(entry)
    return entries


@dataclass(frozen=True)
class ArchivedNewsletter:
    """One sent newsletter's page: its entry and the HTML as sent, made anonymous."""

    entry: ArchiveEntry
    html: str


def archived_newsletter(
    session: Session, compose: ComposeSettings, campaign_id: int
) -> ArchivedNewsletter | None:
    """The newsletter of a sent campaign as a public page; None when there is none."""
    campaign = session.scalar(_sent_emails().where(Campaign.id == campaign_id))
    entry = _entry(session, compose, campaign) if campaign is not None else None
    if campaign is None or entry is None:
        return None
    compiled = Composer(compose, session, campaign_id).newsletter()
    public = compose.letterhead.public_url.rstrip("/")
    join = f"{public}/subscribe"
    values = {"greeting": compiled.greeting_anonymous, "unsubscribe_url": join}
    values |= {"preferences_url": join, PERSON_SLOT: ""}  # no reader: counted links stay anonymous
    html, _ = filled_bodies(compiled, values)
    url = f"{public}{entry.path}"
    tags = sharing_tags(entry, url, compose.letterhead.name)
    return ArchivedNewsletter(entry=entry, html=with_sharing_tags(html, tags))
