"""A post's cleaned article as plain text: what an external summariser may be given."""

from __future__ import annotations

from distributor.content.clean import clean_body
from distributor.content.extract import extract_blocks
from distributor.model import Post


def article_text(post: Post) -> str:
    """The cleaned body (no chrome, captions, meta lines or references), one block a line."""
    cleaned = clean_body(extract_blocks(post.body, post.body_format), post.title)
    lines = []
    for block in cleaned.blocks:
        if block.kind == "heading":
            lines.append(f"\n{block.text}")
        elif block.kind == "item":
            lines.append(f"- {block.text}")
        else:
            lines.append(block.text)
    return "\n".join(lines).strip()
