"""Telling versions of a post apart: a content hash, and whether a change is substantial.

Pure functions: the hash is of the post's normalised text (markup, spacing and case do not
count), and an edit is substantial when enough of the words changed.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal, Protocol

from distributor.model import Post

EDIT_SIMILARITY = 0.95  # below this share of words in common, a change is an edit
EDIT_WORDS = 30  # ... and so is adding, removing or rewriting this many words (a paragraph)
_TAG = re.compile(r"<[^>]+>")
_INVISIBLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_SPACE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[.,;:!?)\]])")

Verdict = Literal["new", "edited", "touched", "unchanged"]


class Known(Protocol):
    """What is remembered of a recorded post (store.queries.KnownPost has these)."""

    @property
    def id(self) -> int: ...
    @property
    def guid(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def content_hash(self) -> str: ...


@dataclass(frozen=True)
class Comparison:
    """A post as seen now against what is remembered of it (if anything)."""

    post: Post
    verdict: Verdict
    seen_text: str
    content_hash: str
    known: Known | None = None


def normalised_text(post: Post) -> str:
    """Title and body as plain words: markup, entities, spacing and case removed."""
    body = post.body
    if post.body_format == "html":
        body = _TAG.sub(" ", _INVISIBLE.sub(" ", body))
    text = html.unescape(f"{post.title}\n{body}")
    text = _SPACE_BEFORE_PUNCTUATION.sub("", _SPACE.sub(" ", text))
    return text.strip().casefold()


def content_hash(text: str) -> str:
    """SHA-256 of normalised text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_substantial_edit(old_text: str, new_text: str) -> bool:
    """True when under EDIT_SIMILARITY of the words are kept in order, or EDIT_WORDS changed."""
    old_words, new_words = old_text.split(), new_text.split()
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    if matcher.real_quick_ratio() < EDIT_SIMILARITY or matcher.quick_ratio() < EDIT_SIMILARITY:
        return True
    kept = sum(block.size for block in matcher.get_matching_blocks())
    changed = len(old_words) + len(new_words) - 2 * kept
    return matcher.ratio() < EDIT_SIMILARITY or changed >= EDIT_WORDS


class KnownPosts:
    """The posts of one source, findable by GUID, by link and by content."""

    def __init__(self, known: Iterable[Known]) -> None:
        self.by_guid: dict[str, Known] = {}
        self.by_hash: dict[str, Known] = {}
        urls: dict[str, list[Known]] = {}
        for item in known:
            self.by_guid[item.guid] = item
            self.by_hash.setdefault(item.content_hash, item)
            if item.url:
                urls.setdefault(item.url, []).append(item)
        self.by_url = {url: items[0] for url, items in urls.items() if len(items) == 1}

    def find(self, post: Post, text_hash: str, unique_url: bool) -> Known | None:
        """The remembered post this one is, even when a feed changed its GUID."""
        found = self.by_guid.get(post.guid)
        if found is None and unique_url and post.url:
            found = self.by_url.get(post.url)
        return found or self.by_hash.get(text_hash)


def compare(
    posts: Iterable[Post],
    known: Iterable[Known],
    seen_texts: Callable[[list[int]], Mapping[int, str]],
) -> list[Comparison]:
    """Each post (first of each GUID, sorted by GUID) judged new, edited, touched or unchanged.

    `seen_texts` gives the remembered text of posts by id; it is asked once, only for the
    posts whose hash changed.
    """
    unique: dict[str, Post] = {}
    for post in posts:
        unique.setdefault(post.guid, post)
    url_counts: dict[str, int] = {}
    for post in unique.values():
        if post.url:
            url_counts[post.url] = url_counts.get(post.url, 0) + 1
    memory = KnownPosts(known)
    matched = []
    for guid in sorted(unique):
        post = unique[guid]
        text = normalised_text(post)
        digest = content_hash(text)
        matched.append(
            (
                post,
                text,
                digest,
                memory.find(post, digest, url_counts[post.url] == 1 if post.url else False),
            )
        )
    changed = [m.id for _, _, digest, m in matched if m is not None and m.content_hash != digest]
    old_texts = seen_texts(changed) if changed else {}
    return [
        Comparison(post, _verdict(match, text, digest, old_texts), text, digest, match)
        for post, text, digest, match in matched
    ]


def _verdict(known: Known | None, text: str, digest: str, old_texts: Mapping[int, str]) -> Verdict:
    if known is None:
        return "new"
    if known.content_hash == digest:
        return "unchanged"
    return "edited" if is_substantial_edit(old_texts.get(known.id, ""), text) else "touched"
