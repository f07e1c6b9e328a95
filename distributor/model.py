"""The vocabulary of distributor: plain, frozen values passed between the layers.

A Post (what a source found) becomes a Digest (what the post says), which becomes a
Message per recipient (email) or a Snippet per platform (social); a Channel delivers
either and answers with a Receipt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

BodyFormat = Literal["html", "markdown", "text"]


@dataclass(frozen=True)
class Post:
    """One post as a source found it, before any interpretation."""

    guid: str  # stable identity: feed GUID, canonical URL, or file path
    title: str
    body: str  # the raw body in `body_format`
    body_format: BodyFormat
    url: str | None = None  # public link of the post, when known
    published: datetime | None = None
    author: str | None = None
    image: str | None = None  # lead image URL or path, when the source declares one
    tags: tuple[str, ...] = ()
    language: str | None = None  # declared language (html lang, front matter), if any
    declared_reading_time: int | None = None  # minutes, when stated outside the body
    source_ref: str = ""  # the file path or URL it was read from


@dataclass(frozen=True)
class Digest:
    """What a post says: everything the newsletter and the social snippets render from."""

    title: str
    language: str
    summary: str
    reading_time: int
    word_count: int
    highlights: tuple[str, ...]
    keywords: tuple[str, ...]
    hashtags: tuple[str, ...]
    image: str | None
    url: str | None
    published: datetime | None
    slug: str = ""
    summary_source: str = "extractive"  # "extractive" (the post's own sentences), "ai" or "edited"

    def as_json(self) -> dict[str, Any]:
        """The `distributor digest --json` contract: exactly these keys."""
        return {
            "title": self.title,
            "language": self.language,
            "summary": self.summary,
            "reading_time": self.reading_time,
            "word_count": self.word_count,
            "highlights": list(self.highlights),
            "keywords": list(self.keywords),
            "hashtags": list(self.hashtags),
            "image": self.image,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "summary_source": self.summary_source,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Digest:
        """The Digest stored with a post (`as_json()` plus "slug"); missing keys get defaults."""
        published = data.get("published")
        return cls(
            title=data.get("title", ""),
            language=data.get("language", "nl"),
            summary=data.get("summary", ""),
            reading_time=int(data.get("reading_time", 1)),
            word_count=int(data.get("word_count", 0)),
            highlights=tuple(data.get("highlights", ())),
            keywords=tuple(data.get("keywords", ())),
            hashtags=tuple(data.get("hashtags", ())),
            image=data.get("image"),
            url=data.get("url"),
            published=datetime.fromisoformat(published) if published else None,
            slug=data.get("slug", ""),
            summary_source=data.get("summary_source", "extractive"),
        )


@dataclass(frozen=True)
class Recipient:
    """Who an email goes to, with what personalisation needs."""

    email: str
    name: str = ""
    language: str = "nl"
    subscriber_id: int | None = None


@dataclass(frozen=True)
class Message:
    """One finished email: the exact bytes to send, and the envelope."""

    sender: str  # envelope MAIL FROM
    to: str  # envelope RCPT TO
    raw: bytes  # the RFC 5322 message as sent (signed when DKIM is configured)
    message_id: str
    key: str = ""  # the delivery this message is for (names outbox files, idempotency)


@dataclass(frozen=True)
class Snippet:
    """A social post for one platform: a thread of texts, first one carrying the link."""

    platform: str
    texts: tuple[str, ...]
    link: str  # the UTM-tagged post URL contained in texts[0]
    language: str
    title: str = ""
    description: str = ""
    image: str | None = None
    key: str = ""  # the delivery this snippet is for (idempotency key)
    posted: tuple[str, ...] = ()  # Receipt.parts of an earlier attempt: resume after these


@dataclass(frozen=True)
class Receipt:
    """A channel's answer for one item: delivered, or why not and whether to retry."""

    ok: bool
    remote_id: str | None = None
    error: str | None = None
    temporary: bool = False  # True: retry later (429, 5xx, timeouts, SMTP 4xx)
    retry_at: datetime | None = None  # earliest retry the provider allows, when it says
    parts: tuple[str, ...] = field(default=())  # remote ids of thread items already posted

    @property
    def permanent(self) -> bool:
        """A failure that retrying will not fix."""
        return not self.ok and not self.temporary
