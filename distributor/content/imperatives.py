"""Does a line of text start with an imperative ("Blijf in beweging", "Marchez", "Weigh yourself")?

A short list of common imperatives per language comes first; beyond it the verb lexicon decides
(content/lexicon.py): a Dutch stem whose infinitive is a verb ("wissel" -> "wisselen"), a French
"-ez" form or infinitive of a verb, an English base form known only as a verb. Function words
("een", "veel", "the") never start an imperative.
"""

from __future__ import annotations

import re

import simplemma

from distributor.content.blocks import word_set
from distributor.content.lexicon import is_known_verb, known_classes
from distributor.content.stopwords import stop_words

COMMON_IMPERATIVES = {
    "nl": word_set(
        "blijf wees verzorg laat durf neem probeer eet drink beweeg vraag zorg doe ga maak kies "
        "luister geef hou houd vermijd start begin stop plan rust slaap train wandel let pas "
        "focus bouw gebruik sta zit til denk overleg raadpleeg vergeet bewaar leg stap spreek "
        "zoek volg herhaal kijk lees schrijf varieer adem ontspan stretch strek draag kleed "
        "warm koel zet rek wissel verdeel heb geniet fiets loop zwem"
    ),
    "en": word_set(
        "be keep stay avoid try take get make drink eat sleep move stretch walk don't do start "
        "stop ask see talk use limit choose listen give find plan set build warm rest focus "
        "trust consider check never always remember practice learn breathe drop reduce "
        "increase wear sit stand lift note write track schedule seek cut roll raise balance "
        "leave add train run swap switch replace alternate apply put ice quit manage go let"
    ),
    "fr": word_set(
        "évitez bougez buvez mangez dormez faites prenez restez gardez essayez consultez "
        "écoutez choisissez commencez arrêtez pensez n'hésitez soyez marchez respirez "
        "limitez privilégiez adaptez demandez parlez utilisez fixez planifiez reposez "
        "allez mettez portez sortez courez"
    ),
}
LANGUAGES = tuple(COMMON_IMPERATIVES)
_FIRST_WORDS = re.compile(r"[^\W\d_][\w'’]*", re.UNICODE)
_FRENCH_INFINITIVE = re.compile(r"(?:er|ir|re|oir)$")


def _dutch_infinitives(stem: str) -> set[str]:
    """Infinitives a Dutch imperative stem can come from: zet -> zetten, neem -> nemen, ..."""
    found = {f"{stem}en", f"{stem}n", f"{stem}{stem[-1]}en", f"{stem}den"}
    undoubled = stem[:-2] + stem[-1] if len(stem) > 3 and stem[-2] == stem[-3] else stem
    for voiceless, voiced in (("f", "v"), ("s", "z")):
        if stem.endswith(voiceless):
            found.update({f"{stem[:-1]}{voiced}en", f"{undoubled[:-1]}{voiced}en"})
    found.add(f"{undoubled}en")
    return found


def _dutch(first: str) -> bool:
    return any(is_known_verb(word, "nl") for word in _dutch_infinitives(first))


def _french(first: str) -> bool:
    if first.endswith("ez") and len(first) > 4:
        lemma = simplemma.lemmatize(first, lang="fr").lower()
        return lemma != first and bool(_FRENCH_INFINITIVE.search(lemma))
    return bool(_FRENCH_INFINITIVE.search(first)) and "noun" not in known_classes(first, "fr")


def _english(first: str) -> bool:
    classes = known_classes(first, "en")
    base_form = simplemma.lemmatize(first, lang="en").lower() == first
    return base_form and "verb" in classes and "noun" not in classes


def starts_with_imperative(text: str, language: str = "") -> bool:
    """True when the text opens with a verb in the imperative (or, in French, an infinitive)."""
    found = _FIRST_WORDS.findall(text[:80])
    if not found:
        return False
    first = found[0].lower().replace("’", "'").split("-")[0]
    second = found[1].lower() if len(found) > 1 else ""
    for lang in (language,) if language in COMMON_IMPERATIVES else LANGUAGES:
        if lang == "fr" and first in ("ne", "n'") and second:
            first = second  # "Ne forcez jamais"
        if first in COMMON_IMPERATIVES[lang]:
            return True
        if first in stop_words(lang) or len(first) < 2:
            continue
        if (lang == "nl" and _dutch(first)) or (lang == "en" and _english(first)):
            return True
        if lang == "fr" and _french(first):
            return True
    return False
