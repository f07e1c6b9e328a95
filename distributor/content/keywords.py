"""Keywords (YAKE with the language's stop words, deduplicated by simplemma lemma) and hashtags."""

from __future__ import annotations

import re
from functools import cache

import simplemma
import yake

from distributor.content.blocks import word_set
from distributor.content.stopwords import stop_words

MAX_KEYWORDS = 8
MAX_HASHTAGS = 5
HASHTAG_MAX_CHARS = 30
YAKE_CANDIDATES = 30
YAKE_MAX_WORDS = 1200  # keywords come from the first words of the body: enough, and fast
# Frequent words that say nothing about a post; YAKE's stop lists do not hold them.
GENERIC = {
    "nl": word_set(
        "jaar jaren deel mensen manier keer dag dagen tijd week weken maand maanden geval "
        "gevallen last moment ding dingen hallo allemaal werk blog"
    ),
    "en": word_set(
        "year years time way people thing things day days part lot week weeks month months "
        "case cases hello everyone blog"
    ),
    "fr": word_set(
        "an ans année années fois jour jours chose choses gens partie façon manière temps mois "
        "cas semaine semaines bonjour blog"
    ),
}
_SIMPLEMMA_LANGS = {"nl", "en", "fr", "de", "es", "it"}
_NOT_TAG_CHARS = re.compile(r"[^\w]+|_")


@cache
def _extractor(language: str) -> yake.KeywordExtractor:
    return yake.KeywordExtractor(
        lan=language, n=2, dedup_lim=0.7, top=YAKE_CANDIDATES, stopwords=set(stop_words(language))
    )


def _lemma(word: str, language: str) -> str:
    lowered = word.lower()
    if language not in _SIMPLEMMA_LANGS:
        return lowered
    return simplemma.lemmatize(lowered, lang=language).lower()


def _is_proper_name(phrase: str, text: str) -> bool:
    """Capitalised words that never occur lowercase in the text: a person or a company."""
    tokens = phrase.split()
    if not all(t[:1].isupper() and not t.isupper() for t in tokens):
        return False
    return re.search(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", text) is None


def _display(phrase: str) -> str:
    """Lowercase, except acronyms ("MRI")."""
    return " ".join(t if t.isupper() and len(t) > 1 else t.lower() for t in phrase.split())


def extract_keywords(text: str, language: str, title: str = "") -> tuple[str, ...]:
    """Up to eight distinct keywords of a text, most characteristic first, no stop words."""
    sample = " ".join(text.split()[:YAKE_MAX_WORDS])
    if not sample.strip():
        return ()
    source = f"{title}.\n{sample}" if title else sample
    stop = stop_words(language)
    generic = GENERIC.get(language, frozenset())
    chosen: list[str] = []
    keys: list[set[str]] = []
    for phrase, _score in _extractor(language).extract_keywords(source):
        tokens = phrase.split()
        if any(t.lower() in stop for t in tokens) or any(t.isdigit() for t in tokens):
            continue
        if any(t.lower() in generic for t in tokens) or len(phrase) < 3:
            continue
        if _is_proper_name(phrase, source) and phrase.lower() not in title.lower():
            continue
        key = {_lemma(t, language) for t in tokens}
        if any(key <= other or other <= key for other in keys):
            continue
        keys.append(key)
        chosen.append(_display(phrase))
        if len(chosen) == MAX_KEYWORDS:
            break
    return tuple(chosen)


def hashtag(phrase: str) -> str | None:
    """A #CamelCase hashtag ("lage rugpijn" -> "#LageRugpijn"), or None when nothing is left."""
    parts = [p for p in _NOT_TAG_CHARS.split(phrase) if p]
    camel = "".join(p if p.isupper() else p[:1].upper() + p[1:] for p in parts)
    if not camel or camel.isdigit() or len(camel) > HASHTAG_MAX_CHARS:
        return None
    return f"#{camel}"


def build_hashtags(tags: tuple[str, ...] | list[str], keywords: tuple[str, ...]) -> tuple[str, ...]:
    """At most five #CamelCase hashtags: the post's own tags first, then its keywords."""
    result: list[str] = []
    seen: set[str] = set()
    for phrase in [*tags, *keywords]:
        tag = hashtag(phrase)
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            result.append(tag)
        if len(result) == MAX_HASHTAGS:
            break
    return tuple(result)
