"""Word classes (noun, verb, adjective, adverb) per language, from spaCy's packaged lookup tables.

The `spacy-lookups-data` package ships, for nl, en and fr, the lemmas its lemmatizers know,
grouped by part of speech (`<lang>_lemma_index.json.gz`); simplemma turns an inflected form into
its lemma first. Nothing is downloaded: the tables are read from the installed package once per
process and language (about 0.1-0.4 s and 5-20 MB; see benchmarks/README.md).
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache, lru_cache
from importlib.resources import files

import simplemma

WORD_CLASSES = ("noun", "verb", "adj", "adv", "det", "adp")
LEXICON_LANGUAGES = frozenset({"nl", "en", "fr"})
TAIL_MIN_CHARS = 5  # the shortest known tail that may stand for an unknown compound
PREFIX_MIN_CHARS = 3  # and what comes before it
_EMPTY: frozenset[str] = frozenset()
_VERB = frozenset({"verb"})
_FRENCH_VERB_LEMMA = re.compile(r"(?:er|ir|re|oir)$")


@cache
def _classes(language: str) -> dict[str, frozenset[str]]:
    """Every lemma of the language's lookup index, by word class (empty for other languages)."""
    if language not in LEXICON_LANGUAGES:
        return {}
    resource = files("spacy_lookups_data") / "data" / f"{language}_lemma_index.json.gz"
    index = json.loads(gzip.decompress(resource.read_bytes()))
    return {
        pos: frozenset(word.lower() for word in index.get(pos, ()) if " " not in word)
        for pos in WORD_CLASSES
    }


def _lemma(word: str, language: str) -> str:
    return simplemma.lemmatize(word, lang=language).lower()


@lru_cache(maxsize=50_000)
def known_classes(word: str, language: str) -> frozenset[str]:
    """The classes the lexicon gives a word or its lemma; empty when it knows neither."""
    classes = _classes(language)
    if not classes:
        return _EMPTY
    lowered = word.lower()
    forms = {lowered, _lemma(lowered, language)}
    return frozenset(pos for pos, lemmas in classes.items() if not forms.isdisjoint(lemmas))


@lru_cache(maxsize=50_000)
def word_classes(word: str, language: str) -> frozenset[str]:
    """The classes of a word; an unknown compound takes those of its longest known tail.

    "rugpijnklachten" is a noun because "klachten" is, "side-lying" an adjective or verb
    because "lying" is, and a word it cannot place has no class.
    """
    found = known_classes(word, language)
    if found:
        return found
    lowered = word.lower()
    if language == "fr" and _FRENCH_VERB_LEMMA.search(_lemma(lowered, language)):
        return _VERB  # "guérissent" (guérir), "reconnaître": verbs the index leaves out
    for start in range(PREFIX_MIN_CHARS, len(lowered) - TAIL_MIN_CHARS + 1):
        tail = lowered[start:].lstrip("-'’")
        if len(tail) >= TAIL_MIN_CHARS:
            found = known_classes(tail, language)
            if found:
                return found
    return _EMPTY


def is_known_verb(word: str, language: str) -> bool:
    """True when the lexicon knows the word (or its lemma) as a verb."""
    return "verb" in known_classes(word, language)


def is_infinitive(word: str, language: str) -> bool:
    """True for a Dutch or French verb in its dictionary form ("blijven", "reprendre")."""
    lowered = word.lower()
    if language not in ("nl", "fr") or "verb" not in word_classes(lowered, language):
        return False
    return _lemma(lowered, language) == lowered
