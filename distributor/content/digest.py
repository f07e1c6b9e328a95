"""Post -> Digest: everything the newsletter and the social snippets render from."""

from __future__ import annotations

from distributor.content.blocks import Block, word_count
from distributor.content.clean import clean_body
from distributor.content.extract import extract_blocks
from distributor.content.highlights import extract_highlights
from distributor.content.keywords import build_hashtags, extract_keywords
from distributor.content.language import choose_language
from distributor.content.reading_time import declared_minutes, estimate_minutes
from distributor.content.slug import post_slug
from distributor.content.summary import summarize
from distributor.errors import UserError
from distributor.model import Digest, Post

META_BLOCKS = 8  # a declared reading time is looked for in the body's first blocks


def body_text(blocks: tuple[Block, ...] | list[Block]) -> str:
    """The blocks as running text, each ending like a sentence so phrases never span two."""
    return "\n".join(b.text if b.text[-1:] in ".!?:;" else f"{b.text}." for b in blocks)


def _reading_time(post: Post, stated: int | None, head: str, words: int, language: str) -> int:
    """The source's declared minutes, else a meta line's, else the body's start, else estimated."""
    if post.declared_reading_time and post.declared_reading_time > 0:
        return post.declared_reading_time
    return stated or declared_minutes(head) or estimate_minutes(words, language)


def build_digest(post: Post) -> Digest:
    """What a post says: title, language, summary, reading time, highlights, keywords, ..."""
    blocks = extract_blocks(post.body, post.body_format)
    head = "\n".join(block.text for block in blocks[:META_BLOCKS])
    cleaned = clean_body(blocks, post.title)
    if not cleaned.blocks:
        where = post.source_ref or post.url or post.guid
        raise UserError(
            f"no article text found in {where}",
            "Check that it is a blog post (not a home page, an empty file or an image).",
        )
    text = body_text(cleaned.blocks)
    language = choose_language(text, post.language)
    words = word_count(cleaned.blocks)
    headings_first = sorted(cleaned.blocks, key=lambda block: block.kind != "heading")
    keywords = extract_keywords(body_text(headings_first), language, cleaned.title)
    return Digest(
        title=cleaned.title,
        language=language,
        summary=summarize(cleaned.blocks, language, cleaned.title),
        reading_time=_reading_time(post, cleaned.declared_reading_time, head, words, language),
        word_count=words,
        highlights=extract_highlights(cleaned.blocks, language),
        keywords=keywords,
        hashtags=build_hashtags(post.tags, keywords),
        image=post.image,
        url=post.url,
        published=post.published or cleaned.published,
        slug=post_slug(post.url, cleaned.title),
    )
