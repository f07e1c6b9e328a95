"""A body in any format (html, markdown, text) -> a flat list of blocks."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from distributor.content.blocks import MAX_BLOCKS, Block, normalise_space
from distributor.content.extract_html import html_blocks
from distributor.content.extract_text import text_blocks
from distributor.model import BodyFormat

_MARKED = re.compile(r"^(?:(?P<number>\d{1,2})[.)]|[•·▪‣◦])\s+(?P<text>\S.*)$")
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
        self.in_table = 0

    def open_list(self, token: Token) -> None:
        """A list starts: its id, whether it is numbered, and its first number."""
        self.close_item_text()
        self.list_count += 1
        start = token.attrs.get("start", 1)
        first = int(start) if isinstance(start, (int, str)) and str(start).isdigit() else 1
        self.lists.append((self.list_count, token.type == "ordered_list_open", [first]))

    def open_item(self) -> None:
        """A list item starts, numbered after the previous one."""
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
        """Inline text: a heading, part of the open item, or a paragraph."""
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
        """Fold one of markdown-it's tokens into the blocks."""
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
        elif kind in ("table_open", "table_close"):
            self.in_table += 1 if kind == "table_open" else -1
        elif kind == "inline" and not self.in_table:
            self.inline(token)
        elif kind == "html_block" and not self.items:
            self.blocks.extend(html_blocks(token.content))


def markdown_blocks(text: str) -> list[Block]:
    """The headings, paragraphs and list items of a Markdown document (front matter removed)."""
    reader = _MarkdownReader()
    for token in _markdown().parse(text):
        reader.token(token)
        if len(reader.blocks) >= MAX_BLOCKS:
            break
    return reader.blocks[:MAX_BLOCKS]


def numbered_paragraphs_as_items(blocks: list[Block]) -> list[Block]:
    """Runs of paragraphs written "1. …", "2. …" (or "• …") are a list, as their reader sees."""
    result: list[Block] = []
    next_list = max((b.list_id for b in blocks), default=0) + 1
    index = 0
    while index < len(blocks):
        run = _marked_run(blocks, index)
        if len(run) < 2:
            result.append(blocks[index])
            index += 1
            continue
        for number, text in run:
            result.append(Block("item", text, 0, next_list, number is not None, number))
        next_list += 1
        index += len(run)
    return result


def _marked_run(blocks: list[Block], start: int) -> list[tuple[int | None, str]]:
    run: list[tuple[int | None, str]] = []
    for index in range(start, len(blocks)):
        block = blocks[index]
        match = _MARKED.match(block.text) if block.kind == "paragraph" else None
        if not match:
            break
        number = int(match.group("number")) if match.group("number") else None
        if run and (number is None) != (run[0][0] is None):
            break  # numbers and bullets do not mix in one list
        previous = run[-1][0] if run else None
        if previous is not None and number != previous + 1:
            break
        run.append((number, match.group("text")))
    return run


def extract_blocks(body: str, body_format: BodyFormat) -> list[Block]:
    """The blocks of a post body in its format."""
    if body_format == "html":
        return numbered_paragraphs_as_items(html_blocks(body))
    if body_format == "markdown":
        return numbered_paragraphs_as_items(markdown_blocks(body))
    return text_blocks(body)
