"""Campaign tags (UTM parameters) on links, so the practice sees which visits an email brought."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")


def tag_link(url: str, *, campaign: str, source: str = "newsletter", medium: str = "email") -> str:
    """The URL with utm_source/utm_medium/utm_campaign set (replacing any it had), rest kept."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in UTM_KEYS]
    query += [("utm_source", source), ("utm_medium", medium), ("utm_campaign", campaign)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def utm_query(*, campaign: str, source: str = "newsletter", medium: str = "email") -> str:
    """The UTM query string alone ("utm_source=…&…"), for URLs completed per recipient."""
    return urlencode([("utm_source", source), ("utm_medium", medium), ("utm_campaign", campaign)])
