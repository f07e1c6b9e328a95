"""A JSON Feed (jsonfeed.org, versions 1 and 1.1) -> title, link and entries as Posts (pure)."""

from __future__ import annotations

import json
from typing import Any

from distributor.errors import UserError
from distributor.model import Post
from distributor.sources.article import meta_date
from distributor.sources.entries import safe_post
from distributor.sources.links import web_link

MAX_ITEMS = 10_000


def is_json_feed(content: bytes) -> bool:
    """True when the bytes look like a JSON document (a JSON Feed is one)."""
    return content[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def parse_json_feed(
    content: bytes, url: str
) -> tuple[str, str | None, tuple[Post, ...], tuple[str, ...]]:
    """The feed's title, home page link, items as Posts and the items skipped (by position).

    UserError when it is not a JSON Feed (also when nested too deeply to read).
    """
    try:
        data = json.loads(content.decode("utf-8-sig", errors="replace"))
    except ValueError as exc:
        raise UserError(
            f"{url} is not a valid JSON Feed: {exc}",
            "Check the address in a feed reader or browser.",
        ) from exc
    except RecursionError as exc:
        raise UserError(
            f"{url} is not a valid JSON Feed: nested too deeply to read",
            "Check the address in a feed reader or browser.",
        ) from exc
    if not isinstance(data, dict) or "jsonfeed.org/version" not in str(data.get("version", "")):
        raise UserError(
            f"{url} is JSON but not a JSON Feed",
            "Give the address of the blog's RSS, Atom or JSON feed.",
        )
    items = data.get("items") if isinstance(data.get("items"), list) else []
    language = _language(data.get("language"))
    posts, problems = [], []
    for position, item in enumerate(items[:MAX_ITEMS], start=1):
        try:
            if not isinstance(item, dict):
                raise TypeError("not an object")
            posts.append(safe_post(_item_post(item, url, language)))
        except Exception as exc:  # one malformed item never costs the feed's other posts
            problems.append(f"item {position} of the feed skipped: {type(exc).__name__}")
    link = web_link(data.get("home_page_url"), url)
    return _text(data.get("title")), link, tuple(posts), tuple(problems)


def _item_post(item: dict[str, Any], feed_url: str, feed_language: str | None) -> Post:
    url = web_link(item.get("url"), feed_url) or web_link(item.get("external_url"), feed_url)
    html = _text(item.get("content_html"))
    body, body_format = (html, "html") if html else (_text(item.get("content_text")), "text")
    if not body:
        body, body_format = _text(item.get("summary")), "text"
    title = _text(item.get("title"))
    image = item.get("image") or item.get("banner_image")
    return Post(
        guid=_text(item.get("id")) or url or f"{feed_url}#{title}",
        title=title,
        body=body,
        body_format=body_format,
        url=url,
        published=meta_date(_text(item.get("date_published") or item.get("date_modified"))),
        author=_author(item) or None,
        image=web_link(image, feed_url),
        tags=tuple(dict.fromkeys(_text(tag) for tag in item.get("tags") or [] if _text(tag))),
        language=_language(item.get("language")) or feed_language,
        source_ref=feed_url,
    )


def _author(item: dict[str, Any]) -> str:
    authors = item.get("authors")
    first = authors[0] if isinstance(authors, list) and authors else item.get("author")
    return _text(first.get("name")) if isinstance(first, dict) else ""


def _language(value: Any) -> str | None:
    text = _text(value).replace("_", "-").split("-")[0].lower()
    return text or None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value) if isinstance(value, int) else ""
