"""How each platform counts a post's length, and the text rules that go with it.

X: weighted length per twitter-text v3 (`x_weight.x_length`, re-exported here: NFC, most
Latin weighs 1, CJK and emoji 2, every URL 23). Mastodon: code points after replacing every
URL by 23 characters and `@user@domain` by `@user`. Bluesky: grapheme clusters (and UTF-8 bytes
for facets). LinkedIn: characters of the commentary in its "little text" format.
"""

from __future__ import annotations

import unicodedata

import regex

from distributor.render.x_weight import x_length as x_length  # re-exported

URL_LENGTH = 23
URL_PATTERN = regex.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]}'’”…]")
HASHTAG_PATTERN = regex.compile(
    r"(?<![\p{L}\p{N}_&/#])#([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*)"
)
MENTION_PATTERN = regex.compile(r"(?<![\p{L}\p{N}_])@([A-Za-z0-9_]+)@[A-Za-z0-9.-]+[A-Za-z0-9]")
GRAPHEME = regex.compile(r"\X")
LITTLE_TEXT_RESERVED = regex.compile(r"([\\|{}@\[\]()<>#*_~])")


def normalise(text: str) -> str:
    """NFC form, the form every platform counts (and X requires)."""
    return unicodedata.normalize("NFC", text)


def mastodon_length(text: str) -> int:
    """Mastodon's length: URLs count 23, `@user@domain` counts as `@user`; limit 500 by default."""
    countable = URL_PATTERN.sub("x" * URL_LENGTH, text)
    countable = MENTION_PATTERN.sub(lambda m: "@" + m.group(1), countable)
    return len(countable)


def grapheme_count(text: str) -> int:
    """User-perceived characters (extended grapheme clusters): Bluesky's limit is 300."""
    return len(GRAPHEME.findall(text))


def grapheme_bounds(text: str) -> list[int]:
    """Every index in `text` where a grapheme cluster starts, plus len(text)."""
    return [m.start() for m in GRAPHEME.finditer(text)] + [len(text)]


def utf8_offset(text: str, index: int) -> int:
    """The UTF-8 byte offset of a str index (what Bluesky facets use)."""
    return len(text[:index].encode("utf-8"))


def bluesky_facets(text: str) -> list[dict]:
    """Link and hashtag facets for a Bluesky post, with UTF-8 byte ranges."""
    facets = []
    for match in URL_PATTERN.finditer(text):
        feature = {"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)}
        facets.append(_facet(text, match.start(), match.end(), feature))
    for match in HASHTAG_PATTERN.finditer(text):
        if _inside_url(text, match.start()):
            continue
        feature = {"$type": "app.bsky.richtext.facet#tag", "tag": match.group(1)}
        facets.append(_facet(text, match.start(), match.end(), feature))
    return sorted(facets, key=lambda f: f["index"]["byteStart"])


def _facet(text: str, start: int, end: int, feature: dict) -> dict:
    index = {"byteStart": utf8_offset(text, start), "byteEnd": utf8_offset(text, end)}
    return {"index": index, "features": [feature]}


def _inside_url(text: str, index: int) -> bool:
    return any(m.start() <= index < m.end() for m in URL_PATTERN.finditer(text))


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans that must never be cut: URLs, hashtags and mentions."""
    spans = [m.span() for m in URL_PATTERN.finditer(text)]
    spans += [m.span() for m in HASHTAG_PATTERN.finditer(text)]
    spans += [m.span() for m in MENTION_PATTERN.finditer(text)]
    return sorted(spans)


def escape_little_text(text: str) -> str:
    """LinkedIn "little text": a backslash before each reserved character."""
    return LITTLE_TEXT_RESERVED.sub(r"\\\1", text)


def linkedin_commentary(text: str) -> str:
    """Commentary for LinkedIn: text escaped, hashtags as `{hashtag|\\#|tag}` markup."""
    pieces, last = [], 0
    for match in HASHTAG_PATTERN.finditer(text):
        if _inside_url(text, match.start()):
            continue
        pieces.append(escape_little_text(text[last : match.start()]))
        pieces.append("{hashtag|\\#|" + escape_little_text(match.group(1)) + "}")
        last = match.end()
    pieces.append(escape_little_text(text[last:]))
    return "".join(pieces)


def linkedin_length(text: str) -> int:
    """Characters of the commentary as sent (escaped): LinkedIn's limit is 3,000."""
    return len(linkedin_commentary(text))
