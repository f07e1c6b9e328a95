"""A body in any format (html, markdown, text) -> a flat list of blocks."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from distributor.content.blocks import Block, normalise_space
from distributor.content.extract_html import html_blocks
from distributor.content.extract_text import text_blocks
from distributor.model import BodyFormat

_INLINE_TEXT = frozenset({"text", "code_inline", "html_inline"})
_INLINE_SPACE = frozenset({"softbreak", "hardbreak"})


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in _INLINE_SPACE:
            parts.append(" ")
        elif child.type == "html_inline":
            continue
        elif child.type in _INLINE_TEXT:
            parts.append(child.content)
    return normalise_space("".join(parts))


class _MarkdownReader:
    """Folds markdown-it's token stream into blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lists: list[tuple[int, bool, list[int]]] = []  # (id, ordered, [next number])
        self.list_count = 0
        self.items: list[Block] = []  # the open list items, innermost last
        self.heading_level = 0

    def open_list(self, token: Token) -> None:
        self.close_item_text()
        self.list_count += 1
        start = token.attrs.get("start", 1)
        first = int(start) if isinstance(start, (int, str)) and str(start).isdigit() else 1
        self.lists.append((self.list_count, token.type == "ordered_list_open", [first]))

    def open_item(self) -> None:
        self.close_item_text()
        list_id, ordered, counter = self.lists[-1] if self.lists else (0, False, [1])
        number = counter[0] if ordered else None
        counter[0] += 1
        self.items.append(Block("item", "", 0, list_id, ordered, number))

    def close_item_text(self) -> None:
        """Emit the innermost open item's text before a nested list or at its end."""
        if self.items and self.items[-1].text:
            self.blocks.append(self.items[-1])
            self.items[-1] = self.items[-1].with_text("")

    def inline(self, token: Token) -> None:
        text = _inline_text(token)
        if not text:
            return
        if self.heading_level:
            self.blocks.append(Block("heading", text, self.heading_level))
        elif self.items:
            joined = f"{self.items[-1].text} {text}".strip()
            self.items[-1] = self.items[-1].with_text(joined)
        else:
            self.blocks.append(Block("paragraph", text))

    def token(self, token: Token) -> None:
        kind = token.type
        if kind == "heading_open":
            self.heading_level = int(token.tag[1])
        elif kind == "heading_close":
            self.heading_level = 0
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.open_list(token)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            self.open_item()
        elif kind == "list_item_close":
            self.close_item_text()
            self.items.pop()
        elif kind == "inline":
            self.inline(token)
        elif kind == "html_block" and not self.items:
            self.blocks.extend(html_blocks(token.content))


def markdown_blocks(text: str) -> list[Block]:
    """The headings, paragraphs and list items of a Markdown document (front matter removed)."""
    reader = _MarkdownReader()
    for token in _markdown().parse(text):
        reader.token(token)
    return reader.blocks


def extract_blocks(body: str, body_format: BodyFormat) -> list[Block]:
    """The blocks of a post body in its format."""
    if body_format == "html":
        return html_blocks(body)
    if body_format == "markdown":
        return markdown_blocks(body)
    return text_blocks(body)
