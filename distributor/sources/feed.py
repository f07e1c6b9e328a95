"""A feed's bytes (RSS, Atom: feedparser; JSON Feed) -> its title, link and entries (pure)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from typing import Any

import feedparser

from distributor.errors import UserError
from distributor.model import BodyFormat, Post
from distributor.plain_text import bytes_without_controls, safe_line
from distributor.sources.charset import utf8_repaired
from distributor.sources.entries import distinct_guids, safe_post
from distributor.sources.jsonfeed import is_json_feed, parse_json_feed
from distributor.sources.links import web_link

EXCERPT_WORDS = 100  # an entry body shorter than this is taken for a summary of the post
_TAG = re.compile(r"<[^>]*>")
_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)""", re.I)
_HTML_PAGE = re.compile(rb"<(?:!doctype\s+html|html)[\s>]", re.I)
_FEED_TRAILER = re.compile(
    r"(?:the post|het bericht|l[’']article|le billet)\s.{1,300}?\s"
    r"(?:appeared first on|verscheen eerst op|est apparu en premier sur)\s.{1,200}$",
    re.I | re.S,
)
_EXCERPT_END = re.compile(
    r"(?:…|\.\.\.|\[…\]|\[\.\.\.\]|\[&hellip;\]|read more|continue reading|lees meer|"
    r"verder lezen|lees verder|lire la suite|en savoir plus|la suite)\W*$",
    re.I,
)


class FeedError(UserError):
    """A feed that cannot be read: not a feed, or too broken to yield any entry."""


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's own title and link, its entries as Posts (in feed order), and what went amiss."""

    title: str
    link: str | None
    entries: tuple[Post, ...]
    problems: tuple[str, ...] = ()  # items skipped, by their position in the feed
    warnings: tuple[str, ...] = ()  # items read, but worth telling the admin about


def parse_feed(content: bytes, url: str) -> ParsedFeed:
    """Parse RSS, Atom or JSON Feed bytes; a broken feed that still yields entries is accepted."""
    content = bytes_without_controls(utf8_repaired(content))
    if is_json_feed(content):
        try:
            title, link, posts, problems = parse_json_feed(content, url)
        except UserError as exc:
            raise FeedError(exc.message, exc.hint) from exc
        entries, warnings = distinct_guids(posts)
        return ParsedFeed(safe_line(title), link, entries, problems, warnings)
    headers = {"content-location": url, "content-type": "application/xml"}
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    entries = parsed.get("entries", [])
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        raise _not_a_feed(content, url, parsed)
    info = parsed.get("feed", {})
    language = _primary_language(info.get("language"))
    posts, problems = [], []
    for position, entry in enumerate(entries, start=1):
        try:
            posts.append(safe_post(_entry_post(entry, url, language)))
        except Exception as exc:  # one malformed item never costs the feed's other posts
            problems.append(f"item {position} of the feed skipped: {type(exc).__name__}")
    unique, warnings = distinct_guids(posts)
    return ParsedFeed(
        title=safe_line(_plain(info.get("title", ""))),
        link=web_link(info.get("link"), url),
        entries=unique,
        problems=tuple(problems),
        warnings=warnings,
    )


def _not_a_feed(content: bytes, url: str, parsed: Any) -> FeedError:
    if _HTML_PAGE.search(content[:2048]):
        return FeedError(
            f"{url} is a web page, not an RSS or Atom feed",
            "Use the feed's address (often /feed or /rss.xml), or `distributor digest URL` "
            "for a single article.",
        )
    reason = parsed.get("bozo_exception")
    detail = f": {reason}" if reason else ""
    return FeedError(
        f"{url} is not a valid RSS or Atom feed{detail}",
        "Check the address in a feed reader or browser; the site may be serving an error page.",
    )


def _entry_post(entry: Any, feed_url: str, feed_language: str | None) -> Post:
    url = web_link(entry.get("link"), feed_url)
    body, body_format = _entry_body(entry)
    title = _plain(entry.get("title", ""))
    return Post(
        guid=entry.get("id") or url or f"{feed_url}#{title}",
        title=title,
        body=body,
        body_format=body_format,
        url=url,
        published=_entry_date(entry),
        author=entry.get("author") or None,
        image=_entry_image(entry, body, feed_url),
        tags=tuple(dict.fromkeys(t["term"] for t in entry.get("tags", []) if t.get("term"))),
        language=_primary_language(_entry_language(entry)) or feed_language,
        source_ref=feed_url,
    )


def _entry_body(entry: Any) -> tuple[str, BodyFormat]:
    contents = [c for c in entry.get("content", []) if (c.get("value") or "").strip()]
    if contents:
        chosen = next((c for c in contents if "html" in c.get("type", "")), contents[0])
        return chosen["value"], _format_of(chosen.get("type", ""))
    detail = entry.get("summary_detail") or {}
    return entry.get("summary", ""), _format_of(detail.get("type", "text/html"))


def _format_of(mime: str) -> BodyFormat:
    return "text" if mime == "text/plain" else "html"


def _entry_language(entry: Any) -> str | None:
    for key in ("content", "summary_detail"):
        value = entry.get(key)
        details = value if isinstance(value, list) else [value] if value else []
        for detail in details:
            if detail.get("language"):
                return detail["language"]
    return None


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = entry.get(key)
        if stamp:
            return datetime(*stamp[:6], tzinfo=UTC)
    return None


def _entry_image(entry: Any, body: str, feed_url: str) -> str | None:
    candidates = [
        *(m.get("url") for m in entry.get("media_content", []) if _is_image(m)),
        *(m.get("url") for m in entry.get("media_thumbnail", [])),
        *(e.get("href") for e in entry.get("enclosures", []) if _is_image(e)),
    ]
    image = next((c for c in candidates if c), None)
    if image is None:
        match = _IMG_SRC.search(body)
        image = unescape(match.group(1)) if match else None
    return web_link(image, feed_url)


def _is_image(media: Any) -> bool:
    kind = media.get("type") or ""
    return kind.startswith("image/") or media.get("medium") == "image"


def _primary_language(value: str | None) -> str | None:
    if not value:
        return None
    return value.strip().replace("_", "-").split("-")[0].lower() or None


def _plain(text: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", text or "")).split())


def is_excerpt(post: Post) -> bool:
    """True when a feed entry carries only a summary of its post (short, or "… Read more")."""
    if not post.url:
        return False
    text = _plain(post.body) if post.body_format == "html" else " ".join(post.body.split())
    text = _FEED_TRAILER.sub("", text).strip()
    return len(text.split()) < EXCERPT_WORDS or bool(_EXCERPT_END.search(text))
