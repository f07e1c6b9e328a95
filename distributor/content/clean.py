"""Keep only the article: drop meta lines, site chrome, captions and references; find the title."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from distributor.content.blocks import Block, normalise_space, words
from distributor.content.boilerplate import (
    is_chrome,
    is_reference_heading,
    is_reference_or_credit,
    looks_like_caption,
    meta_line,
)
from distributor.content.sentences import split_sentences

TITLE_MAX_WORDS = 16
TITLE_MAX_CHARS = 200
LEAD_TITLE_MIN_WORDS = 4  # a paragraph shorter than this cannot lend the post its title


@dataclass(frozen=True)
class CleanBody:
    """The article part of a body, with what its meta lines stated."""

    title: str
    blocks: tuple[Block, ...]
    published: datetime | None = None  # from a standalone date line
    declared_reading_time: int | None = None  # from a "Leestijd: 5 min" line


def cut_references(blocks: list[Block]) -> list[Block]:
    """The blocks before the references section ("Bronnen", "References", "Sources", …)."""
    for index, block in enumerate(blocks):
        if index > 0 and block.kind != "item" and is_reference_heading(block):
            return blocks[:index]
    return blocks


def _drop_meta(blocks: list[Block]) -> tuple[list[Block], datetime | None, int | None]:
    kept: list[Block] = []
    date: datetime | None = None
    minutes: int | None = None
    for block in blocks:
        is_meta, found_date, found_minutes = meta_line(block.text)
        if is_meta:
            date = date or found_date
            minutes = minutes or found_minutes
        elif not is_chrome(block) and not is_reference_or_credit(block):
            kept.append(block)
    return kept, date, minutes


def _drop_captions(blocks: list[Block]) -> list[Block]:
    """Drop caption-like lines standing between paragraphs (never list items or the first line)."""
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        before = blocks[index - 1] if index > 0 else None
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        between_paragraphs = (
            before is not None
            and before.kind == "paragraph"
            and (after is None or after.kind == "paragraph")
        )
        if not (between_paragraphs and looks_like_caption(block)):
            kept.append(block)
    return kept


def _drop_trailing_headings(blocks: list[Block]) -> list[Block]:
    """A heading with nothing after it introduced something that was removed."""
    while blocks and blocks[-1].kind == "heading":
        blocks = blocks[:-1]
    return blocks


def _same_text(a: str, b: str) -> bool:
    return normalise_space(a).casefold().strip(" .:") == normalise_space(b).casefold().strip(" .:")


def _title_index(blocks: list[Block]) -> int | None:
    """Where the title is: the first heading before any paragraph, else the first h1."""
    if blocks and blocks[0].kind == "heading" and len(words(blocks[0].text)) <= TITLE_MAX_WORDS:
        return 0
    for index, block in enumerate(blocks):
        if block.kind == "heading" and block.level == 1:
            return index
    return None


def _lead_sentence(blocks: list[Block]) -> str:
    """A fallback title: the first sentence of the first paragraph, at most 12 words."""
    for block in blocks:
        if block.kind == "paragraph" and len(words(block.text)) >= LEAD_TITLE_MIN_WORDS:
            sentence = split_sentences(block.text)[0]
            head = sentence.split()
            return _shorten(" ".join(head[:12]).rstrip(".,;:") + ("…" if len(head) > 12 else ""))
    return _shorten(blocks[0].text) if blocks else ""


def _shorten(text: str) -> str:
    """A title of at most TITLE_MAX_CHARS characters, cut at a word when it is longer."""
    if len(text) <= TITLE_MAX_CHARS:
        return text
    cut = (
        text[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
        if " " in text[:TITLE_MAX_CHARS]
        else text[:TITLE_MAX_CHARS]
    )
    return cut.rstrip(" ,;:") + "…"


def take_title(blocks: list[Block], declared: str) -> tuple[str, list[Block]]:
    """The post's title (declared, else derived) and the blocks without it."""
    if declared.strip():
        kept = [b for i, b in enumerate(blocks) if not (i < 3 and _same_text(b.text, declared))]
        return _shorten(normalise_space(declared)), kept
    index = _title_index(blocks)
    if index is None:
        return _lead_sentence(blocks), blocks
    return _shorten(blocks[index].text.rstrip(" :")), blocks[:index] + blocks[index + 1 :]


def clean_body(blocks: list[Block], title: str = "") -> CleanBody:
    """The article's blocks and title, with the date and reading time its meta lines stated."""
    kept, date, minutes = _drop_meta(cut_references(blocks))
    kept = _drop_captions(kept)
    found_title, kept = take_title(kept, title)
    kept = _drop_trailing_headings(kept)
    return CleanBody(found_title, tuple(kept), date, minutes)
