"""Cutting text to a length budget the way a reader expects: at a sentence, else a word.

A cut never falls inside a grapheme, a URL, a hashtag or a mention; a cut text ends in "…".
Scripts written without spaces (Chinese, Japanese, Thai) fall back to grapheme boundaries.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

import regex

from distributor.render.counting import grapheme_bounds, protected_spans

ELLIPSIS = "…"
SENTENCE_END = regex.compile(r"[.!?。！？…]+[\"'’”»)]*\s+|\n\s*\n")
WORD_GAP = regex.compile(r"\s+")
TRAILING = frozenset(" \t\n\r\f\v,;:–—-\u00a0\u3000")
Fits = Callable[[str], bool]


@dataclass(frozen=True)
class Cuttable:
    """A text with where it may be cut: grapheme bounds outside URLs, hashtags and mentions."""

    text: str
    bounds: frozenset[int]
    spans: tuple[tuple[int, int], ...]
    cuts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Cuttable:
        """Analyse `text` once: its grapheme bounds, protected spans and allowed cuts."""
        spans = tuple(protected_spans(text))
        bounds = grapheme_bounds(text)
        inner = {i for start, end in spans for i in range(start + 1, end)}
        cuts = tuple(i for i in bounds if 0 < i < len(text) and i not in inner)
        return cls(text, frozenset(bounds), spans, cuts)

    def allowed(self, index: int) -> bool:
        """Whether `index` is a grapheme bound outside every protected span."""
        return index in self.bounds and not _inside(self.spans, index)

    def cut(self, index: int) -> str:
        """The text up to `index`, trailing spaces and separators dropped, with "…"; or ""."""
        end = index
        while end > 0 and (self.text[end - 1] in TRAILING or not self.allowed(end)):
            end -= 1
        head = self.text[:end]
        if not head:
            return ""
        if head.endswith(".") and self.allowed(end - 1):
            return head[:-1] + ELLIPSIS
        ends_apart = head[-1] in "!?" or any(stop == end for _, stop in self.spans)
        return head + (" " if ends_apart else "") + ELLIPSIS


def fit(text: str, fits: Fits) -> str:
    """`text` if it fits, else its longest natural prefix that fits with "…"; "" if none does."""
    text = text.strip()
    if fits(text):
        return text
    cuttable = Cuttable.of(text)
    best = _longest_fitting(cuttable, fits)
    if best is None:
        return ""
    return cuttable.cut(_natural(cuttable, best, fits))


def _inside(spans: tuple[tuple[int, int], ...], index: int) -> bool:
    return any(start < index < end for start, end in spans)


def _longest_fitting(cuttable: Cuttable, fits: Fits) -> int | None:
    """Binary search for the last cut whose prefix fits (length grows with the prefix)."""
    low, high, best = 0, len(cuttable.cuts) - 1, None
    while low <= high:
        middle = (low + high) // 2
        candidate = cuttable.cut(cuttable.cuts[middle])
        if candidate and fits(candidate):
            best, low = cuttable.cuts[middle], middle + 1
        else:
            high = middle - 1
    return best


def _natural(cuttable: Cuttable, limit: int, fits: Fits) -> int:
    """The nicest cut at or before `limit`: a sentence end, else a word gap, else `limit`."""
    text = cuttable.text
    sentence = [m.end() for m in SENTENCE_END.finditer(text, 0, limit + 1) if m.end() <= limit]
    if sentence and sentence[-1] >= limit * 0.5:
        candidate = _snap(cuttable.cuts, sentence[-1])
        if candidate and fits(cuttable.cut(candidate)):
            return candidate
    gaps = [m.start() for m in WORD_GAP.finditer(text, 0, limit + 1) if 0 < m.start() <= limit]
    if gaps and gaps[-1] >= limit * 0.6:
        candidate = _snap(cuttable.cuts, gaps[-1])
        if candidate and fits(cuttable.cut(candidate)):
            return candidate
    return limit


def _snap(cuts: tuple[int, ...], index: int) -> int | None:
    """The last allowed cut at or before `index`."""
    position = bisect_right(cuts, index)
    return cuts[position - 1] if position else None
