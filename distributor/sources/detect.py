"""What kind of source a target is: a folder of post files, a feed, or one article page.

Pure: the caller hands over a function that fetches a URL (sources/fetch.py at the edge),
so this module does no network I/O itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlparse

from distributor.errors import UserError

SourceKind = Literal["feed", "article", "folder"]
FEED_CONTENT_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
}
_FEED_ROOT = re.compile(rb"^<(?:rss|feed|rdf:RDF|RDF)[\s>/]", re.I)
_PROLOGUE = re.compile(rb"^(?:\s+|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S | re.I)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


@dataclass(frozen=True)
class Document:
    """What a URL answered: enough to tell a feed from a page."""

    url: str
    content_type: str
    content: bytes


FetchDocument = Callable[[str], Document]


def is_web_address(target: str) -> bool:
    """True for an http(s) URL."""
    parsed = urlparse(target.strip())
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def kind_of_path(target: str) -> SourceKind:
    """A local target must be a folder of post files."""
    path = Path(target).expanduser()
    if path.is_dir():
        return "folder"
    if path.exists():
        raise UserError(
            f"{target} is a file, not a folder",
            "Add the folder that holds your post files, or a web address.",
        )
    raise UserError(
        f"no such folder or web address: {target}",
        "Give a folder path that exists, or a full http(s):// address.",
    )


def looks_like_feed(content: bytes) -> bool:
    """True when the document's root element is RSS, Atom or RDF, or it is a JSON Feed."""
    head = content[:4096].lstrip(b"\xef\xbb\xbf")
    while True:
        match = _PROLOGUE.match(head)
        if not match or not match.group(0):
            break
        head = head[match.end() :]
    if _FEED_ROOT.match(head):
        return True
    return head.startswith(b"{") and b"jsonfeed.org/version" in head


def kind_of_document(content_type: str, content: bytes) -> Literal["feed", "article"]:
    """A feed when the body is one (whatever the server calls it), or is labelled one."""
    if looks_like_feed(content):
        return "feed"
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in FEED_CONTENT_TYPES and not content.lstrip()[:15].lower().startswith(
        (b"<!doctype html", b"<html")
    ):
        return "feed"
    return "article"


def feed_links(html: str, base_url: str) -> list[str]:
    """The feeds a page announces with <link rel="alternate" type="application/rss+xml" ...>."""
    found: list[str] = []
    for tag in _LINK_TAG.findall(html[:200_000]):
        attributes = {
            name.lower(): next(v for v in values if v)
            for name, *values in _ATTRIBUTE.findall(tag)
            if any(values)
        }
        rel = attributes.get("rel", "").lower().split()
        media_type = attributes.get("type", "").lower()
        if "alternate" in rel and media_type in FEED_CONTENT_TYPES and attributes.get("href"):
            url = urljoin(base_url, attributes["href"])
            if url not in found:
                found.append(url)
    return found


def detect_kind(target: str, fetch_document: FetchDocument) -> SourceKind:
    """The kind of `target`: folder for a local path, else feed or article by what it serves."""
    if not is_web_address(target):
        return kind_of_path(target)
    document = fetch_document(target)
    return kind_of_document(document.content_type, document.content)
