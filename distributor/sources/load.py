"""A target (file path or article URL) -> a Post; a feed excerpt -> its whole article."""

from __future__ import annotations

from dataclasses import replace

import httpx

from distributor.errors import UserError
from distributor.model import BodyFormat, Post
from distributor.sources.article import parse_article
from distributor.sources.detect import is_web_address, looks_like_feed
from distributor.sources.fetch import FetchResult, LinkRefused, fetch, make_client
from distributor.sources.files import read_post_file

NO_ORIGIN = "none:"  # an entry that does not say where it came from trusts no origin
_TEXT_TYPES: dict[str, BodyFormat] = {"text/plain": "text", "text/markdown": "markdown"}
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "", *_TEXT_TYPES)


def load_post(target: str, client: httpx.Client | None = None) -> Post:
    """The post at `target`: a local post file, or one article page on the web."""
    if not is_web_address(target):
        return read_post_file(target)
    if client is None:
        with make_client() as own:
            return _load_page(target.strip(), own)
    return _load_page(target.strip(), client)


def _load_page(url: str, client: httpx.Client, trusted_origin: str | None = None) -> Post:
    result = fetch(url, client=client, trusted_origin=trusted_origin)
    if looks_like_feed(result.content):
        raise UserError(
            f"{url} is a feed, not a single article",
            f"Follow it with `distributor sources add {url}`, or give one post's address.",
        )
    _require_page(result)
    if result.content_type in _TEXT_TYPES:
        body_format = _TEXT_TYPES[result.content_type]
        if not result.text.strip():
            raise UserError(f"{result.url} is empty", "Give the address of one blog post.")
        return Post(result.url, "", result.text, body_format, url=result.url, source_ref=url)
    return parse_article(result.text, result.url)


def _require_page(result: FetchResult) -> None:
    if result.content_type in _PAGE_TYPES or result.content_type.endswith("+xml"):
        return
    raise UserError(
        f"{result.url} is not a web page but {result.content_type}",
        "Give the address of the blog post itself, not of an image, a PDF or a download.",
    )


def complete_entry(post: Post, client: httpx.Client, warnings: list[str] | None = None) -> Post:
    """A feed excerpt completed from its linked page; the entry itself if that page fails.

    The page is fetched only on the feed's own site or at a public address; a refused link is
    added to `warnings` (for the source) and the entry kept as the feed carried it.
    """
    if not post.url or not is_web_address(post.url):
        return post
    try:
        page = _load_page(post.url, client, trusted_origin=post.source_ref or NO_ORIGIN)
    except LinkRefused as exc:
        if warnings is not None:
            warnings.append(exc.message)
        return post
    except UserError:
        return post
    return replace(
        page,
        guid=post.guid,
        url=post.url,
        published=post.published or page.published,
        title=post.title or page.title,
        author=post.author or page.author,
        image=post.image or page.image,
        tags=post.tags or page.tags,
        language=post.language or page.language,
        source_ref=post.source_ref or page.source_ref,
    )
