"""The database tables: SQLAlchemy 2 typed models, portable to SQLite and PostgreSQL.

Every datetime is timezone-aware UTC in Python; SQLite stores it as naive UTC text.
Unique keys make recording idempotent: a post per (source, guid), a delivery per
(campaign, channel, recipient).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SOURCE_KINDS = ("feed", "article", "folder")
POST_STATES = ("baseline", "new", "edited")
SUBSCRIBER_STATUSES = ("pending", "confirmed", "unsubscribed", "bounced")
CAMPAIGN_STATES = ("draft", "approved", "sending", "sent", "paused", "failed", "cancelled")
DELIVERY_STATES = (
    "pending",
    "claimed",
    "sent",
    "failed_temporary",
    "failed_permanent",
    "cancelled",
)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC on the Python side."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (only for column defaults)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (so migrations can name them)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Source(Base):
    """A place posts come from: a feed URL, one article URL, or a folder of files."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(2000), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    auto_approve: Mapped[bool] = mapped_column(Boolean, default=False)
    poll_interval_s: Mapped[int] = mapped_column(Integer, default=900)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_polled_at: Mapped[datetime | None]
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    retry_after_until: Mapped[datetime | None]  # the server asked us to wait until then
    failures: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    warning: Mapped[str | None] = mapped_column(Text)  # read fine, but the admin should know
    baselined: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]  # removed sources keep their posts and history


class Post(Base):
    """A post a source showed us, identified by its GUID and versioned by a content hash."""

    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("source_id", "guid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    guid: Mapped[str] = mapped_column(String(2000))
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    seen_text: Mapped[str] = mapped_column(Text, default="")  # normalised text the hash is of
    state: Mapped[str] = mapped_column(String(16))
    digest: Mapped[dict[str, Any] | None]
    body: Mapped[str] = mapped_column(Text, default="")
    body_format: Mapped[str] = mapped_column(String(16), default="html")
    published: Mapped[datetime | None]
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Subscriber(Base):
    """Someone who asked for the newsletter, with the record of their consent."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="nl")
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    frequency: Mapped[str] = mapped_column(String(16), default="immediate")
    only_my_language: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )  # skip posts written in another language
    consent_at: Mapped[datetime | None]
    consent_source: Mapped[str | None] = mapped_column(Text)
    consent_ip: Mapped[str | None] = mapped_column(String(64))
    confirmed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_reason: Mapped[str | None] = mapped_column(String(64))  # e.g. "complaint", "hard bounce"
    per_person_stats: Mapped[bool] = mapped_column(Boolean, default=False)  # opted in to click ids
    consent_user_agent: Mapped[str | None] = mapped_column(String(500))
    consent_form_url: Mapped[str | None] = mapped_column(String(2000))
    consent_text_version: Mapped[str | None] = mapped_column(String(32))
    consent_language: Mapped[str | None] = mapped_column(String(8))
    confirmed_ip: Mapped[str | None] = mapped_column(String(64))
    unsubscribe_token_hash: Mapped[str | None] = mapped_column(String(64))  # undo needs the same
    status_before_unsubscribe: Mapped[str | None] = mapped_column(String(16))


class Campaign(Base):
    """One send of a post (or a weekly digest) over a set of channels."""

    __tablename__ = "campaigns"
    __table_args__ = (Index(None, "state", "send_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="post")
    state: Mapped[str] = mapped_column(String(16), default="draft")
    send_at: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(8))
    channels: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    paused_reason: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    edits: Mapped[dict[str, Any] | None]  # the admin's edits of the draft (see pipeline/delivery)


class Delivery(Base):
    """One item to deliver: a campaign to one recipient over one channel (unique)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("campaign_id", "channel", "recipient_key"),
        Index(None, "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    channel: Mapped[str] = mapped_column(String(32))
    recipient_key: Mapped[str] = mapped_column(String(320))
    subscriber_id: Mapped[int | None] = mapped_column(ForeignKey("subscribers.id"))
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    remote_id: Mapped[str | None] = mapped_column(String(500))
    error: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    bounce: Mapped[str | None] = mapped_column(String(16))  # hard, soft or complaint
    bounce_detail: Mapped[str | None] = mapped_column(Text)  # the receiving server's words


class Event(Base):
    """The event log: what happened, when, to what (ids kept even if a row is removed)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    source_id: Mapped[int | None] = mapped_column(Integer)
    post_id: Mapped[int | None] = mapped_column(Integer)
    campaign_id: Mapped[int | None] = mapped_column(Integer)
    subscriber_id: Mapped[int | None] = mapped_column(Integer)
    delivery_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any] | None]


FEEDBACK_KINDS = ("hard", "soft", "complaint")


class MailFeedback(Base):
    """A bounce or complaint report that came back about one delivery (recorded once)."""

    __tablename__ = "mail_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"))
    campaign_id: Mapped[int | None] = mapped_column(Integer, index=True)
    subscriber_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16), default="")  # x.y.z or ""
    diagnostic: Mapped[str] = mapped_column(Text, default="")
    report_key: Mapped[str] = mapped_column(String(64), unique=True)  # a re-import adds nothing


class LinkClick(Base):
    """One click on a newsletter link; a subscriber only when they opted in to it."""

    __tablename__ = "link_clicks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    campaign_id: Mapped[int] = mapped_column(Integer, index=True)
    url: Mapped[str] = mapped_column(String(2000))
    subscriber_id: Mapped[int | None] = mapped_column(Integer)


class CampaignOpen(Base):
    """One open of a campaign's email, counted in aggregate (no subscriber)."""

    __tablename__ = "campaign_opens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    campaign_id: Mapped[int] = mapped_column(Integer, index=True)
    apple_proxy: Mapped[bool] = mapped_column(Boolean, default=False)  # Mail Privacy Protection


class ErasedAddress(Base):
    """An address whose owner asked to be erased: only a keyed hash of it is kept."""

    __tablename__ = "erased_addresses"

    address_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)


class RateHit(Base):
    """One use of a rate-limited action (sign-up, confirmation email) when Redis is not used."""

    __tablename__ = "rate_hits"
    __table_args__ = (Index(None, "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
