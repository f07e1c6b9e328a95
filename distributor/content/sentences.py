"""Sentence splitting that knows Dutch, French, English (and German/Spanish/Italian) abbreviations.

A sentence ends at ".", "!", "?" or "…" (with closing quotes or brackets) followed by space and
a capital letter, digit or opening quote, unless the word before the period is an abbreviation
that does not end sentences ("bv.", "o.a.", "Dr.", "p. ex.") or a single-letter initial.
"""

from __future__ import annotations

import re

from distributor.content.blocks import word_set

# Abbreviations that are (almost) never the last word of a sentence, lowercase, without the
# final period. Multi-part ones are listed by their last part too ("d.w.z." -> "d.w.z", "z").
_COMMON = word_set(
    "dr drs prof mr mrs ms st nr vs ca cf fig vol pp blz jr sr ir ing mgr dhr mevr mme mlle pr "
    "e.g i.e approx dept resp incl excl"
)
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "nl": frozenset(
        _COMMON
        | word_set(
            "bv bijv o.a d.w.z m.a.w ipv i.p.v evt m.b.t t.o.v mbt tov zgn zg ong vnl m.n o.m "
            "tel plm jl aanv e.a"
        )
    ),
    "en": frozenset(_COMMON | word_set("al inc ltd co jan feb aug sept oct nov dec u.s mt")),
    "fr": frozenset(
        _COMMON
        | word_set(
            "ex p.ex env mm me av bd chap éd hab n° c.-à-d c.-à.-d cie ste vve s.v.p svp tél"
        )
    ),
    "de": frozenset(_COMMON | word_set("z.b bzw d.h u.a usw ggf evtl vgl")),
    "es": frozenset(_COMMON | word_set("sra srta ud uds p.ej ej")),
    "it": frozenset(_COMMON | word_set("sig sigg dott ecc es pag")),
}

_ENGLISH = ABBREVIATIONS["en"]
ALL_ABBREVIATIONS = frozenset().union(*ABBREVIATIONS.values())
_BOUNDARY = re.compile(
    r"(?P<end>[.!?…]+)(?P<close>(?:\s?[\"'”’»)\]])*)\s+(?=(?:[\"'“‘«(\[¿¡]\s?)?[A-ZÀ-ÖØ-Þ0-9])"
)
_LAST_TOKEN = re.compile(r"([^\s(\[\"'“‘«]+)$")


def is_abbreviation(before: str, language: str) -> bool:
    """True when the text before a period ends with an abbreviation or an initial."""
    match = _LAST_TOKEN.search(before)
    if not match:
        return False
    token = match.group(1)
    bare = token.lower()
    if len(token) == 1 and token.isalpha():
        return True  # an initial ("J. Smith") or a lone letter ("p. ex.")
    known = ALL_ABBREVIATIONS if language == "any" else ABBREVIATIONS.get(language, _ENGLISH)
    return bare in known or ("." in bare and bare.rsplit(".", 1)[-1] in known)


def split_sentences(text: str, language: str = "en") -> list[str]:
    """The sentences of a paragraph, in order, trimmed."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group("end") == "." and is_abbreviation(text[start : match.start()], language):
            continue
        sentence = text[start : match.end("close")].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences
