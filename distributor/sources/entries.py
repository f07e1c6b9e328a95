"""Posts as a source read them, made safe to store and told apart (pure).

Text loses control characters (PostgreSQL refuses NUL; terminals obey escapes) and titles lose
bidi overrides. Two different posts under one GUID would silently become one: the later ones
are told apart by their link and a hash of their content, and the admin is told.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from distributor.model import Post
from distributor.plain_text import safe_line, without_controls

MAX_GUID_CHARS = 1000


def safe_post(post: Post) -> Post:
    """The post with control characters gone from its text and its one-line fields cleaned."""
    guid = without_controls(post.guid).strip()
    if len(guid) > MAX_GUID_CHARS:
        guid = "sha256:" + hashlib.sha256(guid.encode("utf-8", "replace")).hexdigest()
    author = safe_line(post.author) if post.author else None
    return replace(
        post,
        guid=guid,
        title=safe_line(post.title),
        body=without_controls(post.body),
        author=author or None,
        tags=tuple(tag for tag in (safe_line(t) for t in post.tags) if tag),
        language=safe_line(post.language) or None if post.language else None,
    )


def content_key(post: Post) -> str:
    """A short hash of what a post says (title and body)."""
    text = f"{post.title}\n{post.body}".encode("utf-8", "replace")
    return hashlib.sha256(text).hexdigest()[:16]


def distinct_guids(
    posts: list[Post] | tuple[Post, ...],
) -> tuple[tuple[Post, ...], tuple[str, ...]]:
    """The posts with one GUID each, and a warning per GUID that several different posts shared.

    The first post keeps its GUID; a later different one gets "link#content-hash"; an exact
    repeat (same link and content) is dropped.
    """
    first: dict[str, Post] = {}
    kept: list[Post] = []
    shared: dict[str, int] = {}
    seen_keys: set[tuple[str, str]] = set()
    for post in posts:
        key = f"{post.url or post.guid}#{content_key(post)}"
        if (post.guid, key) in seen_keys:
            continue
        seen_keys.add((post.guid, key))
        if post.guid not in first:
            first[post.guid] = post
            kept.append(post)
            continue
        shared[post.guid] = shared.get(post.guid, 1) + 1
        kept.append(replace(post, guid=key))
    warnings = tuple(
        f"{count} different posts share the GUID {guid!r}: told apart by link and content"
        for guid, count in shared.items()
    )
    return tuple(kept), warnings
