"""X's weighted length per twitter-text v3, with the official package loaded on first use.

The `twitter_text` package (twitter-text-parser) implements the official rules but takes ~0.4 s
to import and spends most of each call in its emoji pattern. Texts with no character that can
start or join an emoji are weighed here by the same rules without that scan; the others go to
the package's `parse_tweet`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

EMOJI_JOINERS = ("\u200d", "\u20e3", "\ufe0f")
LINE_BREAKS = regex.compile(r"\r\n|\r")


@dataclass(frozen=True)
class XRules:
    """The v3 configuration and the package's functions, with two patterns derived from them."""

    config: dict[str, Any]
    parse_tweet: Callable[..., Any]
    extract_urls: Callable[[str], list[dict]]
    may_be_emoji: regex.Pattern
    heavy: regex.Pattern


@cache
def x_rules() -> XRules:
    """Import twitter-text and derive the patterns (once per process)."""
    from twitter_text import extract_urls_with_indices, parse_tweet
    from twitter_text.config import config
    from twitter_text.regexp.emoji import emoji

    v3 = config["version3"]
    candidates = (chr(code) for code in range(0x80, 0x3300))
    starts = [ch for ch in candidates if emoji.match(ch) or emoji.match(ch + "\ufe0f")]
    listed = "".join(regex.escape(ch) for ch in [*starts, *EMOJI_JOINERS])
    light = "".join(f"\\U{r['start']:08x}-\\U{r['end']:08x}" for r in v3["ranges"])
    return XRules(
        config=v3,
        parse_tweet=parse_tweet,
        extract_urls=extract_urls_with_indices,
        may_be_emoji=regex.compile(f"[{listed}\\U00010000-\\U0010ffff]"),
        heavy=regex.compile(f"[^{light}]"),
    )


def x_length(text: str) -> int:
    """X's weighted length (twitter-text v3: NFC, URLs 23, CJK and emoji 2): limit 280."""
    rules = x_rules()
    text = unicodedata.normalize("NFC", text)
    if rules.may_be_emoji.search(text):
        return rules.parse_tweet(text, rules.config).weightedLength
    text = LINE_BREAKS.sub("\n", text)
    scale = rules.config["scale"]
    total, start = 0, 0
    for entity in rules.extract_urls(text):
        url_start, url_end = entity["indices"]
        total += _plain_weight(text[start:url_start], rules)
        total += rules.config["transformed_url_length"] * scale
        start = url_end
    total += _plain_weight(text[start:], rules)
    return total // scale


def _plain_weight(text: str, rules: XRules) -> int:
    """Weight of text without URLs or emoji: light ranges weigh 1 (v3: all alike), others 2."""
    heavy = len(rules.heavy.findall(text))
    light_weight = rules.config["ranges"][0]["weight"]
    return light_weight * (len(text) - heavy) + rules.config["default_weight"] * heavy
