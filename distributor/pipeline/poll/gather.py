"""Reading a source: what a feed, an article page or a folder shows right now.

The only place poll touches the network or the file system (through sources/).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx

from distributor.errors import UserError
from distributor.model import Post
from distributor.sources import article, feed, fetch, files, folder, load


@dataclass(frozen=True)
class SourceRef:
    """The part of a source row reading needs (a plain value, safe across transactions)."""

    id: int
    kind: str
    target: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Seen:
    """What a source showed: its posts, the validators for next time, what could not be read."""

    posts: list[Post]
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    problems: list[str] = field(default_factory=list)
    title: str = ""  # the feed's or page's own title, a default name for the source


def read_source(
    ref: SourceRef,
    client: httpx.Client,
    *,
    conditional: bool = True,
    timeout: float = fetch.TIMEOUT,
) -> Seen:
    """The posts `ref` shows now (raises UserError, e.g. FetchError, when it cannot be read)."""
    if ref.kind == "folder":
        return _read_folder(Path(ref.target))
    etag = ref.etag if conditional else None
    last_modified = ref.last_modified if conditional else None
    result = fetch.fetch(
        ref.target, client=client, etag=etag, last_modified=last_modified, timeout=timeout
    )
    if result.not_modified:
        return Seen(
            [],
            result.etag or ref.etag,
            result.last_modified or ref.last_modified,
            not_modified=True,
        )
    if ref.kind == "feed":
        parsed = feed.parse_feed(result.content, result.url)
        return Seen(list(parsed.entries), result.etag, result.last_modified, title=parsed.title)
    post = article.parse_article(result.text, result.url)
    return Seen([post], result.etag, result.last_modified, title=post.title)


def complete(post: Post, client: httpx.Client) -> Post:
    """The whole post: a feed entry that is only an excerpt is completed from its page."""
    return load.complete_entry(post, client) if feed.is_excerpt(post) else post


def _read_folder(path: Path) -> Seen:
    if not path.is_dir():
        raise UserError(
            f"the folder {path} does not exist (any more)",
            "Restore it, or remove this source with `distributor sources remove`.",
        )
    posts: list[Post] = []
    problems: list[str] = []
    for file in folder.list_post_files(path):
        try:
            posts.append(files.read_post_file(file))
        except UserError as exc:
            problems.append(str(exc))
    return Seen(posts, problems=problems)
