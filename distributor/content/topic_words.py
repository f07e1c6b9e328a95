"""Is a keyword candidate a topic noun or noun phrase ("rugpijn", "lage rugpijn", "entorse")?

Word classes come from the packaged lexicon (content/lexicon.py). A word it knows only as a
verb, adverb or adjective ("reprendre", "progressivement", "geleidelijk") is never a keyword. A
word that may be a noun or something else ("lopen", "stap", "heel hurts") counts as a noun
only when the post itself uses it as one: right after an article or a possessive ("het lopen",
"le dos", "l'entorse"). So does a word the lexicon does not know ("voortaan" never follows one).
"""

from __future__ import annotations

import re

from distributor.content.blocks import word_set
from distributor.content.lexicon import LEXICON_LANGUAGES, word_classes

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


class NominalUses:
    """Words and pairs a post uses as nouns: after an article or a preposition, and closed by a
    stop word or a break ("de rugpijn is", "about posture.", "l'entorse de")."""

    def __init__(self, language: str) -> None:
        self.markers = DETERMINERS.get(language, frozenset())
        self.found: dict[str, int] = {}  # how often each is used as a noun
        self._before = ""
        self._open = ""  # a word or pair begun after a marker, not closed yet

    def see(self, lowered: str, elided: bool, closes: bool) -> None:
        """The next word of a sentence; `closes` when it is a stop word."""
        if closes:
            if self._open:
                self.found[self._open] = self.found.get(self._open, 0) + 1
            self._open = ""
        else:
            grows = self._open and " " not in self._open
            self._open = f"{self._open} {lowered}" if grows else ""
            if self._before in self.markers or elided:
                self._open = lowered
        self._before = lowered

    def end(self) -> None:
        """A break (end of sentence, a colon, a bracket) closes what is open."""
        self.see("", False, True)
        self._before = ""


def _is_noun(word: str, language: str, nominal: dict[str, int], phrase: str) -> bool:
    """A noun by the lexicon alone, or a possible noun that the post uses as one.

    A pair used as a noun counts only when its head cannot be a verb ("your heel hurts in").
    """
    classes = word_classes(word, language)
    if classes & NOT_NOUN or (classes and "noun" not in classes):
        return False
    as_phrase = phrase in nominal and "verb" not in classes
    return classes == {"noun"} or word in nominal or as_phrase


def _may_modify(word: str, language: str) -> bool:
    """A word that can stand in a noun phrase beside its head (a noun, an adjective)."""
    classes = word_classes(word, language)
    return not classes or (bool(classes & NOUN_LIKE) and not classes & NOT_NOUN)


def is_topic_phrase(
    phrase: str, language: str, nominal: dict[str, int], recurring: bool = False
) -> bool:
    """True when a word or word pair is a noun or a noun phrase in this post.

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
        return True
    return _is_noun(head, language, nominal, " ".join(tokens))
