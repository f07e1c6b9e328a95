"""Plain text (as copied from a website) -> blocks.

Paragraphs are separated by blank lines; "1. …", "  1) …", "- …", "* …" and "• …" lines are
list items; a short line without closing punctuation standing on its own is a heading.
"""

from __future__ import annotations

import re

from distributor.content.blocks import MAX_BLOCKS, Block, normalise_space, words

_ITEM = re.compile(r"^\s*(?:(?P<number>\d{1,3})[.)]|[-*•·▪‣◦–])\s+(?P<text>\S.*)$")
_WRAPPED_MIN_CHARS = 40
HEADING_MAX_WORDS = 16
HEADING_MAX_CHARS = 140


def looks_like_heading(line: str) -> bool:
    """A short line that does not end like a sentence: a title or subheading when alone."""
    text = line.strip()
    if not text or len(text) > HEADING_MAX_CHARS or not any(c.isalpha() for c in text):
        return False
    return len(words(text)) <= HEADING_MAX_WORDS and text[-1] not in ".!,;…"


def _chunks(text: str) -> list[list[str]]:
    """Groups of consecutive non-blank lines."""
    chunks: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if normalise_space(line):
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]


def _is_wrapped(lines: list[str]) -> bool:
    """True when the lines are one hard-wrapped paragraph: long lines continued in lowercase."""
    stripped = [line.strip() for line in lines]
    return (
        len(stripped) > 1
        and all(len(line) >= _WRAPPED_MIN_CHARS for line in stripped[:-1])
        and any(line[:1].islower() for line in stripped[1:])
    )


class _TextReader:
    """Accumulates blocks, keeping list ids across the blank lines inside one list."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lists = 0
        self.in_list = False

    def item(self, match: re.Match[str]) -> None:
        """A "1. …" or "- …" line: an item of the current list or of a new one."""
        number = match.group("number")
        ordered = number is not None
        previous = self.blocks[-1] if self.blocks else None
        continues = (
            self.in_list
            and previous is not None
            and previous.kind == "item"
            and previous.ordered == ordered
        )
        if not continues:
            self.lists += 1
        self.in_list = True
        text = normalise_space(match.group("text"))
        self.blocks.append(
            Block("item", text, 0, self.lists, ordered, int(number) if ordered else None)
        )

    def continuation(self, line: str) -> None:
        """An indented line continuing the previous list item."""
        previous = self.blocks[-1]
        self.blocks[-1] = previous.with_text(f"{previous.text} {normalise_space(line)}")

    def line(self, line: str) -> None:
        """A line on its own: a heading when short and title-like, else a paragraph."""
        text = normalise_space(line)
        kind = "heading" if looks_like_heading(text) else "paragraph"
        self.blocks.append(Block(kind, text, 2 if kind == "heading" else 0))
        self.in_list = False

    def chunk(self, lines: list[str]) -> None:
        """One group of lines between blank lines."""
        if not any(_ITEM.match(line) for line in lines) and _is_wrapped(lines):
            self.blocks.append(Block("paragraph", normalise_space(" ".join(lines))))
            self.in_list = False
            return
        for line in lines:
            match = _ITEM.match(line)
            if match:
                self.item(match)
            elif self.in_list and line[:1].isspace() and self.blocks[-1].kind == "item":
                self.continuation(line)
            else:
                self.line(line)


def text_blocks(text: str) -> list[Block]:
    """The headings, paragraphs and list items of plain text."""
    reader = _TextReader()
    for lines in _chunks(text):
        reader.chunk(lines)
        if len(reader.blocks) >= MAX_BLOCKS:
            break
    return reader.blocks[:MAX_BLOCKS]
