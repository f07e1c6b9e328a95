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
MAX_TOKEN_CHARS = 45  # longer "words" (URLs, junk) are left out: YAKE is quadratic in them
YAKE_CANDIDATES = 30
YAKE_MAX_WORDS = 150  # the title, the headings and the first words: enough, and fast
# Frequent words that say nothing about a post; YAKE's stop lists do not hold them.
GENERIC = {
    "nl": word_set(
        "jaar jaren deel mensen manier keer dag dagen tijd week weken maand maanden geval "
        "gevallen last moment ding dingen hallo allemaal werk blog meest meeste lage hoge grote "
        "kleine nieuwe eerste komen komt gaat gaan maakt maken mee zien doen twee drie vier vijf "
        "zes zeven acht negen tien dagelijks vaak soms altijd"
    ),
    "en": word_set(
        "year years time way people thing things day days part lot week weeks month months "
        "case cases hello everyone blog feel worse better best good great new first get make "
        "two three four five six seven eight nine ten common important simple easy quick"
    ),
    "fr": word_set(
        "an ans année années fois jour jours chose choses gens partie façon manière temps mois "
        "cas semaine semaines bonjour blog faire fait bon bonne meilleur grand grande deux trois "
        "quatre cinq sept huit neuf dix fréquent fréquents fréquente fréquentes souvent toujours"
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
    """Capitalised mid-sentence and never lowercase in the text: a person or a company."""
    tokens = phrase.split()
    if not all(t[:1].isupper() and not t.isupper() for t in tokens):
        return False
    if re.search(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", text):
        return False
    for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
        before = text[: match.start()].rstrip()
        if before and before[-1] not in ".!?:;\"'“”‘’«»()[]-–—•\n":
            return True
    return False


def _display(phrase: str) -> str:
    """Lowercase, except acronyms ("MRI")."""
    return " ".join(t if t.isupper() and len(t) > 1 else t.lower() for t in phrase.split())


def _usable(phrase: str, language: str, source: str, lowered: str, title: str) -> bool:
    """No stop or generic words, no numbers, no names; a phrase must recur or be in the title."""
    tokens = phrase.split()
    stop = stop_words(language)
    generic = GENERIC.get(language, frozenset())
    if len(phrase) < 3 or any(not any(c.isalpha() for c in t) for t in tokens):
        return False
    if any(t.lower() in stop or t.lower() in generic for t in tokens):
        return False
    if language == "en" and len(tokens) == 1 and phrase.lower().endswith("ly"):
        return False  # an adverb ("quickly") says how, not what
    in_title = phrase.lower() in title.lower()
    if _is_proper_name(phrase, source) and not in_title:
        return False
    return len(tokens) == 1 or in_title or lowered.count(phrase.lower()) >= 2


def extract_keywords(text: str, language: str, title: str = "") -> tuple[str, ...]:
    """Up to eight distinct keywords of a text, most characteristic first, no stop words."""
    sample = " ".join([t for t in text.split() if len(t) <= MAX_TOKEN_CHARS][:YAKE_MAX_WORDS])
    if not sample.strip():
        return ()
    source = f"{sample}\n{title}." if title else sample
    lowered = source.lower()
    chosen: list[str] = []
    keys: list[set[str]] = []
    for phrase, _score in _extractor(language).extract_keywords(source):
        if not _usable(phrase, language, source, lowered, title):
            continue
        key = {_lemma(t, language) for t in phrase.split()}
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
