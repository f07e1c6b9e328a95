"""Cutting text to a length budget the way a reader expects: at a sentence, else a word.

A cut never falls inside a grapheme, a URL, a hashtag or a mention; a cut text ends in "…".
Scripts written without spaces (Chinese, Japanese, Thai) fall back to grapheme boundaries.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

import regex

from distributor.render.counting import grapheme_bounds, protected_spans

ELLIPSIS = "…"
SENTENCE_END = regex.compile(r"[.!?。！？…]+[\"'’”»)]*\s+")
WORD_GAP = regex.compile(r"\s+")
Fits = Callable[[str], bool]


def fit(text: str, fits: Fits) -> str:
    """`text` if it fits, else its longest natural prefix that fits with "…"; "" if none does."""
    text = text.strip()
    if fits(text):
        return text
    cuts = cut_points(text)
    best = _longest_fitting(text, cuts, fits)
    if best is None:
        return ""
    return _cut(text, _natural(text, cuts, best, fits))


def cut_points(text: str) -> list[int]:
    """Every index where `text` may be cut: grapheme bounds outside URLs, hashtags, mentions."""
    spans = protected_spans(text)
    bounds = grapheme_bounds(text)
    return [i for i in bounds if 0 < i < len(text) and not _inside(spans, i)]


def _inside(spans: list[tuple[int, int]], index: int) -> bool:
    return any(start < index < end for start, end in spans)


def _cut(text: str, index: int) -> str:
    head = text[:index].rstrip()
    head = regex.sub(r"[\s,;:–—-]+$", "", head)
    if not head:
        return ""
    if head.endswith("."):
        return head.rstrip(".") + ELLIPSIS
    ends_apart = head[-1] in "!?" or any(end == len(head) for _, end in protected_spans(head))
    return head + (" " if ends_apart else "") + ELLIPSIS


def _longest_fitting(text: str, cuts: list[int], fits: Fits) -> int | None:
    """Binary search for the last cut whose prefix fits (length grows with the prefix)."""
    low, high, best = 0, len(cuts) - 1, None
    while low <= high:
        middle = (low + high) // 2
        if _cut(text, cuts[middle]) and fits(_cut(text, cuts[middle])):
            best, low = cuts[middle], middle + 1
        else:
            high = middle - 1
    return best


def _natural(text: str, cuts: list[int], limit: int, fits: Fits) -> int:
    """The nicest cut at or before `limit`: a sentence end, else a word gap, else `limit`."""
    sentence = [m.end() for m in SENTENCE_END.finditer(text) if m.end() <= limit]
    if sentence and sentence[-1] >= limit * 0.5:
        candidate = _snap(cuts, sentence[-1])
        if candidate and fits(_cut(text, candidate)):
            return candidate
    gaps = [m.start() for m in WORD_GAP.finditer(text) if 0 < m.start() <= limit]
    if gaps and gaps[-1] >= limit * 0.6:
        candidate = _snap(cuts, gaps[-1])
        if candidate and fits(_cut(text, candidate)):
            return candidate
    return limit


def _snap(cuts: list[int], index: int) -> int | None:
    """The last allowed cut at or before `index`."""
    position = bisect_right(cuts, index)
    return cuts[position - 1] if position else None
