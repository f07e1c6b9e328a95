"""A URL slug for a post: the last segment of its URL, else its title."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

MAX_SLUG_CHARS = 80
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_PAGE_SUFFIX = re.compile(r"\.(?:html?|php|aspx?|jsp|md|txt)$", re.IGNORECASE)
_MEANINGLESS = {"", "index", "default", "post", "article", "blog"}


def slugify(text: str) -> str:
    """ASCII, lowercase, words joined by hyphens, at most 80 characters, cut at a hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG_CHARS:
        slug = slug[: MAX_SLUG_CHARS + 1].rsplit("-", 1)[0]
    return slug


def _url_segment(url: str) -> str:
    path = urlsplit(url).path if "://" in url else url
    segments = [s for s in unquote(path).split("/") if s]
    return _PAGE_SUFFIX.sub("", segments[-1]) if segments else ""


def post_slug(url: str | None, title: str) -> str:
    """The slug of a post: from its URL's last path segment when meaningful, else its title."""
    if url:
        slug = slugify(_url_segment(url))
        if slug not in _MEANINGLESS and not slug.isdigit():
            return slug
    return slugify(title) or "post"
