"""Language cues for the summary: openers that lean on a previous sentence, and self-introductions.

A summary sentence must stand alone. One that opens on a connective ("Toch", "However", "Et")
or a pronoun ("Dit", "It", "Cette") refers back to a sentence the reader never sees. An author's
self-introduction ("Hallo allemaal, mijn naam is…", "Hi, I'm Tom", "Bonjour, je m'appelle…") or
a line about sharing the story says who writes, not what the post is about.
"""

from __future__ import annotations

import re

from distributor.content.blocks import word_set

DANGLING_OPENERS: dict[str, frozenset[str]] = {
    "nl": word_set(
        "dit dat deze die hij zij ze zo toch daarom daardoor hierdoor daarna daarbij daarmee "
        "hiermee hierbij ook maar en want dus bovendien echter ondertussen vervolgens verder "
        "tenslotte daarnaast evenmin eveneens desondanks alsnog nochtans anderzijds immers "
        "wel hem haar hun zulke zulk dan bijvoorbeeld bv bijv hier daar"
    ),
    "en": word_set(
        "this that these those it its he she they them his her their so then also however "
        "therefore but and or yet still thus instead besides moreover furthermore meanwhile "
        "afterwards nevertheless nonetheless otherwise hence such likewise here there's"
    ),
    "fr": word_set(
        "ce cela ceci ça ces cet cette il elle ils elles celui celle ceux celles alors donc "
        "aussi puis cependant mais et ou or pourtant ensuite toutefois néanmoins sinon ainsi "
        "d'ailleurs c'est c'était lui leur leurs son sa ses"
    ),
}
# Dutch "Het" and English "There" open sentences that stand alone ("Het onderzoek toont…")
# unless a verb follows at once ("Het was een probleem…"): then "het" points back.
_NL_PRONOUN_VERBS = word_set(
    "is was wordt werd kan kon zal zou moet moest gaat ging blijft bleef heeft had lijkt leek "
    "voelt voelde helpt hielp betekent betekende klinkt"
)
_LEADING_PHRASES = {
    "nl": ("met andere woorden", "in dat geval", "op dat moment", "na die", "door dat", "in die"),
    "en": (
        "in other words",
        "in that case",
        "at that point",
        "on top of that",
        "after that",
        "for example",
        "for instance",
    ),
    "fr": (
        "en effet",
        "par ailleurs",
        "de plus",
        "en outre",
        "dans ce cas",
        "à ce moment",
        "du coup",
        "par exemple",
    ),
}

_PUNCTUATION = ",.;:!?…()«»“”\"'"

_INTRODUCTIONS = {
    "nl": re.compile(
        r"^(hallo|hoi|hey|dag|beste)\b|\bmijn naam is\b|\b(ik ben|werk ik|ik werk)\b.{0,40}"
        r"\b(jaar|sinds|als|bij)\b|\bmijn (verhaal|ervaring)\b.{0,40}\b(delen|helpen)\b|"
        r"^hopelijk\b|\bmet jullie\b.{0,20}\bdelen\b",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"^(hi|hello|hey|dear)\b|\bmy name is\b|\bi'?m \w+,? and\b|\bi have been (a|an|working)\b"
        r"|\bi (wanted|want) to (share|tell)\b|\bmy (story|experience)\b.{0,40}\bhelp\b",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        r"^(bonjour|salut|coucou|chers?)\b|\bje m'appelle\b|\bje m’appelle\b|"
        r"\bje suis \w+ (au|à|dans|depuis)\b.{0,40}\bdepuis\b|\bvous (raconter|partager)\b",
        re.IGNORECASE,
    ),
}


def opens_dangling(sentence: str, language: str) -> bool:
    """True when the sentence opens on a connective or pronoun that needs the sentence before."""
    lowered = sentence[:80].lower().lstrip("«“\"'‘ ").replace("’", "'")
    found = [w.strip(_PUNCTUATION) for w in lowered.split(None, 2)[:2]]
    if not found:
        return False
    first, second = found[0], (found[1] if len(found) > 1 else "")
    if first in DANGLING_OPENERS.get(language, frozenset()):
        return True
    if language == "nl" and first == "het" and second in _NL_PRONOUN_VERBS:
        return True
    return lowered.startswith(_LEADING_PHRASES.get(language, ()))


def introduces_the_author(sentence: str, language: str) -> bool:
    """True for a greeting, the author's name or job, or a line about sharing their story."""
    pattern = _INTRODUCTIONS.get(language)
    return bool(pattern and pattern.search(sentence))
