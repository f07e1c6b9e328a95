"""Reading time: the post's own declared minutes, else words divided by a silent reading rate.

Rates. Brysbaert (2019), "How many words do we read per minute? A review and meta-analysis of
reading rate", Journal of Memory and Language 109, 104047: adults read English non-fiction
silently at 238 words per minute. Languages differ in how many words they need for the same
message, so other languages are scaled by the IReST study, which timed native readers on texts
matched in content across 17 languages (Trauzettel-Klosinski & Dietz 2012, "Standardized
assessment of reading performance: the new International Reading Speed Texts IReST", IOVS
53(9):5452-5461; mean words/min read aloud: en 228, nl 202, fr 195, de 179, es 218, it 188).
Silent rate for a language = 238 x (IReST rate of the language / IReST rate of English).
"""

from __future__ import annotations

import math
import re

ENGLISH_SILENT_WPM = 238  # Brysbaert 2019, non-fiction
IREST_WPM = {"en": 228, "nl": 202, "fr": 195, "de": 179, "es": 218, "it": 188}

SILENT_WPM: dict[str, int] = {
    language: round(ENGLISH_SILENT_WPM * rate / IREST_WPM["en"])
    for language, rate in IREST_WPM.items()
}

_LABEL = (
    r"(?:leestijd|leesduur|reading\s+time|read\s+time|temps\s+de\s+lecture|lecture"
    r"|durée\s+de\s+lecture|lesezeit|tiempo\s+de\s+lectura|tempo\s+di\s+lettura)"
)
_UNIT = r"(?:min(?:uten|uut|utes?|s|\.)?|mn)\b"
_LABELLED = re.compile(
    rf"\b{_LABEL}\s*[:\-–—]?\s*(?:±|~|ca\.?|environ|about|ongeveer)?\s*(\d{{1,3}})\s*{_UNIT}",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    rf"\b(\d{{1,3}})\s*{_UNIT}\s*(?:read|reading|lezen|leestijd|de\s+lecture|lecture|lesen)\b",
    re.IGNORECASE,
)


def declared_minutes(text: str) -> int | None:
    """The reading time a text states about itself ("Leestijd: 5 min", "4 min read"), if any."""
    for pattern in (_LABELLED, _TRAILING):
        match = pattern.search(text)
        if match:
            minutes = int(match.group(1))
            if 0 < minutes < 600:
                return minutes
    return None


def words_per_minute(language: str) -> int:
    """The silent reading rate used for a language (English when the language is unknown)."""
    return SILENT_WPM.get(language, ENGLISH_SILENT_WPM)


def estimate_minutes(word_count: int, language: str) -> int:
    """Whole minutes (nearest) to read `word_count` words silently in `language`; at least 1."""
    return max(1, math.floor(word_count / words_per_minute(language) + 0.5))
