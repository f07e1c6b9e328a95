"""Is a keyword candidate a topic noun or noun phrase ("rugpijn", "lage rugpijn", "entorse")?

Word classes come from the packaged lexicon (content/lexicon.py). A word it knows only as a
verb, adverb or adjective ("reprendre", "progressivement", "geleidelijk") is never a keyword. A
word that may be a noun or something else ("lopen", "stap", "heel hurts") counts as a noun
only when the post itself uses it as one: right after an article or a possessive ("het lopen",
"le dos", "l'entorse"). So does a word the lexicon does not know ("voortaan" never follows one).
"""

from __future__ import annotations

import re

from distributor.content.blocks import whole_word_spans, word_set
from distributor.content.lexicon import LEXICON_LANGUAGES, is_infinitive, word_classes
from distributor.content.stopwords import stop_words

DETERMINERS = {
    "nl": word_set(
        "de het een 't mijn je jouw onze hun uw elke iedere geen welke van in op met zonder "
        "voor na bij over tegen door tijdens naar"
    ),
    "en": word_set(
        "the a an my your his her its our their every each no some any of in on at about for "
        "with without from after during into"
    ),
    "fr": word_set(
        "le la les l un une des du de d au aux mon ma mes ton ta tes son sa ses notre nos "
        "votre vos leur leurs cet cette ces chaque en avec sur dans par contre pendant chez"
    ),
}  # articles, possessives and prepositions: what stands before a noun, not before a verb
NOUN_LIKE = frozenset({"noun", "adj"})
NOT_NOUN = frozenset({"det", "adp"})
_FRENCH_VERB_FORM = re.compile(r"-t-|-(?:vous|nous|il|elle|on|ils|elles|moi|toi|en|y)$")


_BEFORE = re.compile(r"(?:^|[\s(])([^\W\d_]+)(?:['’]|\s+)$")
_AFTER = re.compile(r"\s*([^\W\d_]+)")
MAX_OCCURRENCES = 50  # of a phrase, looked at to see whether it is used as a noun


def used_as_noun(phrase: str, lowered: str, language: str) -> bool:
    """True when the (lowercase) text writes the phrase as a noun at least once: after an
    article or a preposition and before a stop word or a break ("de rugpijn is", "l'entorse.")."""
    markers = DETERMINERS.get(language, frozenset())
    stop = stop_words(language)
    for start, end in whole_word_spans(phrase, lowered, MAX_OCCURRENCES):
        before = _BEFORE.search(lowered, max(0, start - 24), start)
        if not before or before.group(1) not in markers:
            continue
        after = _AFTER.match(lowered, end)
        if not after or after.group(1) in stop or len(after.group(1)) < 3:
            return True
        if lowered[end : after.start(1)].strip():
            return True  # punctuation between: the phrase ends there
    return False


def _is_noun(word: str, language: str, lowered: str, phrase: str) -> bool:
    """A noun by the lexicon alone, or a possible noun that the post uses as one.

    A pair used as a noun counts only when its head cannot be a verb ("your heel hurts in"),
    and a head the lexicon does not know only after an adjective ("plantar fasciitis", not
    "het probleem zelden").
    """
    classes = word_classes(word, language)
    if classes & NOT_NOUN or (classes and "noun" not in classes):
        return False
    if classes == {"noun"}:
        return True
    if used_as_noun(word, lowered, language):
        return True
    if phrase == word or "verb" in classes:
        return False
    modifiers = phrase.split()[1:] if language == "fr" else phrase.split()[:-1]
    described = all("adj" in word_classes(m, language) for m in modifiers)
    return (bool(classes) or described) and used_as_noun(phrase, lowered, language)


def _may_modify(word: str, language: str) -> bool:
    """A word that can stand in a noun phrase beside its head (a noun, an adjective)."""
    classes = word_classes(word, language)
    return not classes or (bool(classes & NOUN_LIKE) and not classes & NOT_NOUN)


def is_topic_phrase(phrase: str, language: str, lowered: str, recurring: bool = False) -> bool:
    """True when a word or word pair is a noun or a noun phrase in the (lowercase) post.

    A pair the post repeats word for word (`recurring`: three times or more) is a name for its
    subject ("shin splints") when its head can be a noun at all.
    """
    if language not in LEXICON_LANGUAGES:
        return True
    tokens = phrase.lower().split()
    if language == "fr" and any(_FRENCH_VERB_FORM.search(t) for t in tokens):
        return False  # "soigne-t-il", "échauffez-vous"
    head, others = (tokens[0], tokens[1:]) if language == "fr" else (tokens[-1], tokens[:-1])
    if not all(_may_modify(t, language) for t in others):
        return False
    if recurring and others and "noun" in word_classes(head, language):
        return not is_infinitive(head, language)  # "actief blijven" is no name
    return _is_noun(head, language, lowered, " ".join(tokens))
