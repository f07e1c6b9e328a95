"""Keywords (a frequency score over the post, stop words and generic words left out, deduplicated
by simplemma lemma) and hashtags.

YAKE was the first scorer here; on these short posts it cost ~4 ms a post and still let verbs
through, while a term-frequency score weighted by the title and word length gives the topic words
(see benchmarks/README.md, Digest) in a tenth of the time.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from itertools import pairwise

import simplemma

from distributor.content.blocks import whole_word_spans, word_set
from distributor.content.stopwords import stop_words
from distributor.content.topic_words import is_topic_phrase

MAX_KEYWORDS = 8
MAX_HASHTAGS = 5
HASHTAG_MAX_CHARS = 30
MAX_TOKEN_CHARS = 45  # longer "words" (URLs, junk) are left out
MAX_WORDS = 20_000  # enough for any blog post; bounds hostile input
CANDIDATES = 40
RECURRING_PAIR = 3  # a word pair the post repeats this often names its subject
MAX_NAME_OCCURRENCES = 200  # looked at to tell a name from a word at a sentence start
# Frequent words that say nothing about a post; the stop lists do not hold them.
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
    if whole_word_spans(phrase.lower(), text, 1):
        return False
    for start, _ in whole_word_spans(phrase, text, MAX_NAME_OCCURRENCES):
        before = text[max(0, start - 40) : start].rstrip()  # a window: never copy the text
        if before and before[-1] not in ".!?:;\"'“”‘’«»()[]-–—•\n":
            return True
    return False


def _display(phrase: str) -> str:
    """Lowercase, except acronyms ("MRI")."""
    return " ".join(t if t.isupper() and len(t) > 1 else t.lower() for t in phrase.split())


def _usable(phrase: str, language: str, source: str, count: int, title: str) -> bool:
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
    return len(tokens) == 1 or in_title or count >= 2


_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_BREAK = re.compile(r"[.!?;:()\[\]\n\"“”«»]+")


# Starting a word at \w (not [^\W\d_]) lets the regex engine skip ahead 2.5x faster; words
# that start with a digit or an underscore are dropped when counted.
_WORD_OR_BREAK = re.compile(rf"\w[\w'’-]*|{_BREAK.pattern}")
_ELISION_IN_TEXT = re.compile(
    r"(?<![\w'’])(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’](?=\w)", re.IGNORECASE
)


def _tokens(text: str, language: str) -> list[str]:
    """The words of a text in order, with "" at every break (French elisions removed)."""
    if language == "fr":
        text = _ELISION_IN_TEXT.sub("", text)
    return _WORD_OR_BREAK.findall(text, 0, MAX_WORDS * 12)


def _counts(tokens: list[str], stop: frozenset[str]) -> Counter[str]:
    """How often each word and adjacent word pair without stop words occurs (lowercase).

    Each distinct token is judged once; the counting itself runs in C (map, filter, Counter).
    """
    kept_as: dict[str, str] = {}
    for token in set(tokens):
        word = token.rstrip("-'’")
        if word[:1].isalpha() and 2 < len(word) <= MAX_TOKEN_CHARS and word not in stop:
            kept_as[token] = word
    kept = list(map(kept_as.get, tokens))  # None where a stop word or a break stands
    counts = Counter(filter(None, kept))
    counts.update(map(" ".join, filter(all, pairwise(kept))))  # type: ignore[arg-type]
    return counts


def _surface_word(word: str, text: str) -> str:
    """How the post writes a word: lowercase when it ever does, else as written mid-sentence.

    A capital at a sentence start says nothing; a word capitalised mid-sentence and never
    written lowercase keeps its capital (a name, an acronym).
    """
    if whole_word_spans(word, text, 1):
        return word
    capitalised = word[:1].upper() + word[1:]
    for start, end in whole_word_spans(capitalised, text) + whole_word_spans(word.upper(), text):
        window = text[max(0, start - MAX_TOKEN_CHARS - 2) : start].rstrip()
        before = window.rsplit(None, 1)[-1] if window else ""  # the word before, if not junk
        if 0 < len(before) <= MAX_TOKEN_CHARS and not _BREAK.match(before[-1]):
            return text[start:end]
    return word


def _ranked_phrases(text: str, language: str, title: str) -> list[tuple[str, int]]:
    """Single words and adjacent word pairs without stop words, most characteristic first.

    A phrase scores by how often the post uses it, doubled when the title holds it, and by
    word length (a cheap stand-in for specificity: "kraakbeen" says more than "goed"). Only
    phrases that recur or stand in the title are ranked; the text is counted in one pass.
    Each comes as the post writes it, with how often it occurs.
    """
    stop = stop_words(language) | GENERIC.get(language, frozenset())
    source = f"{title}\n{text}"
    counts = _counts(_tokens(source.lower(), language), stop)
    title_lower = title.lower()
    in_title = _counts(_tokens(title_lower, language), stop)
    pool = [p for p, count in counts.items() if count > 1 or p in in_title]
    if len(pool) < CANDIDATES:
        pool = list(counts)

    def score(phrase: str) -> float:
        title_weight = 2.0 if phrase in title_lower else 1.0
        length = min(len(phrase) - phrase.count(" "), 12) / 6
        pair = 1.5 if " " in phrase else 1.0
        return counts[phrase] * title_weight * length * pair

    best = heapq.nlargest(CANDIDATES, pool, key=score)
    return [
        (" ".join(_surface_word(word, source) for word in phrase.split()), counts[phrase])
        for phrase in best
    ]


def extract_keywords(text: str, language: str, title: str = "") -> tuple[str, ...]:
    """Up to eight distinct keywords of a text, most characteristic first, no stop words."""
    if not text.strip():
        return ()
    source = f"{text}\n{title}." if title else text
    lowered = source.lower()
    chosen: list[str] = []
    keys: list[set[str]] = []
    for phrase, count in _ranked_phrases(text, language, title):
        if not _usable(phrase, language, source, count, title):
            continue
        if not is_topic_phrase(phrase, language, lowered, count >= RECURRING_PAIR):
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
