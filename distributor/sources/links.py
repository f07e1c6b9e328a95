"""Links read from a source (post URLs, images): absolute http(s) only, else nothing (pure).

A feed item's `javascript:` or `data:` link would otherwise become a newsletter's button or
image and a social post's link; a relative link is resolved against the page it was found on.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

MAX_LINK_CHARS = 2000
_WHITESPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def web_link(value: object, base: str = "") -> str | None:
    """`value` as an absolute http(s) URL (resolved against `base`), or None when it is not one."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or _WHITESPACE_OR_CONTROL.search(text) or len(text) > MAX_LINK_CHARS:
        return None
    try:
        absolute = urljoin(base, text) if base else text
        parts = urlsplit(absolute)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return absolute


def origin(url: str) -> tuple[str, str, int] | None:
    """The (scheme, host, port) a URL belongs to, or None when it is not an http(s) URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80)
