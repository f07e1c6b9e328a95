"""Highlights: the post's own practical advice, as the lead phrases of its tips list.

A list (numbered or bulleted, or a run of numbered subheadings) counts as advice when its
lead-in says so ("Wat is dan aan te raden", "tips", "conseils", "what you can do") or most of
its items start with an imperative. Lists announced as symptoms, causes, contents or sources,
and lists of short link-like items, are never advice. Nothing is invented: no list, no highlights.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from distributor.content.blocks import Block, normalise_space, word_set, words
from distributor.content.sentences import is_abbreviation

MAX_HIGHLIGHTS = 10
LEAD_MAX_WORDS = 18
ACCEPT_SCORE = 2.0

ADVICE_CUE = re.compile(
    r"\b(?:tips?|advie[sz]|adviezen|aan te raden|aanraden|raden (?:we|wij|ik) aan|aanbeveling|"
    r"raad|wat (?:kan|kun) je (?:zelf )?doen|wat je (?:zelf )?kan doen|wat doe je|stappen|"
    r"zo pak je|hoe pak je|advice|tricks?|what (?:you )?can (?:you )?do|what to do|how to|"
    r"recommendations?|steps?|ways? to|things (?:you can|to) do|dos and don.ts|"
    r"conseils?|astuces?|recommandations?|que faire|ce que vous pouvez faire|comment|étapes|"
    r"à faire|gestes|tipps|ratschläge|consejos|consigli|oefening\w*|exercis\w*|exercices?)\b",
    re.IGNORECASE,
)
NOT_ADVICE_CUE = re.compile(
    r"\b(?:symptom\w*|symptôm\w*|klachten zijn|oorza\w*|causes?|risicofactor\w*|risk factors?|"
    r"facteurs? de risque|signs?|signes?|tekenen|kenmerk\w*|inhoud\w*|contents|sommaire|"
    r"table des matières|bronnen|references?|sources?|références|ingrediënt\w*|ingredients?|"
    r"ingrédients|diagnos\w*|menu|navigatie|navigation|categorie\w*|tags?|lees ook|"
    r"read more|related|gerelateerd\w*|lire aussi|à lire)\b",
    re.IGNORECASE,
)
IMPERATIVE_STARTS = word_set(
    # nl
    "blijf wees verzorg laat durf neem probeer eet drink beweeg vraag zorg doe ga maak kies "
    "luister geef hou houd vermijd start begin stop plan rust slaap train wandel let pas "
    "focus bouw gebruik sta zit til denk overleg raadpleeg geen niet vergeet bewaar leg "
    "stap spreek zoek volg herhaal kijk lees schrijf varieer adem ontspan stretch strek "
    # en
    "be keep stay avoid try take get make drink eat sleep move stretch walk don't do start "
    "stop ask see talk use limit choose listen give find plan set build warm rest focus trust "
    "consider check never always remember practice learn breathe drop reduce increase "
    "wear sit stand lift note write track schedule seek "
    # fr
    "évitez bougez buvez mangez dormez faites prenez restez gardez essayez consultez écoutez "
    "choisissez commencez arrêtez pensez n'hésitez ne pas soyez marchez respirez limitez "
    "privilégiez adaptez demandez parlez utilisez fixez planifiez reposez"
)
_NUMBERED_HEADING = re.compile(
    r"^(?:(?:tip|stap|step|conseil|astuce)\s*)?(\d{1,2})\s*[.):\-–]\s*(\S.*)$", re.I
)
_STEP_LABEL = re.compile(r"^(?:tip|stap|step|étape|conseil|astuce)\s*\d{1,2}\s*[:.)\-–]\s*", re.I)
_LEAD_END = re.compile(r"[:?!]|\.(?=\s|$)|\s[–—]\s")


@dataclass(frozen=True)
class _Candidate:
    items: tuple[str, ...]
    lead_in: str  # the heading or sentence just before the list


def lead_phrase(item: str) -> str:
    """The item's text before its first ":", "." or "?", trimmed, first letter capitalised."""
    text = _STEP_LABEL.sub("", normalise_space(item), count=1)
    end = next(
        (
            m.start()
            for m in _LEAD_END.finditer(text)
            if m.group() != "." or not is_abbreviation(text[: m.start()], "any")
        ),
        len(text),
    )
    head = text[:end]
    head = head.strip(" \"'“”‘’*_-–—")
    tokens = head.split()
    if len(tokens) > LEAD_MAX_WORDS:
        head = " ".join(tokens[:LEAD_MAX_WORDS]).rstrip(",;") + "…"
    return head[:1].upper() + head[1:]


def _starts_imperative(item: str) -> bool:
    first = item.strip().split(" ", 1)[0].lower().strip(",:.'’")
    return first in IMPERATIVE_STARTS or first.replace("’", "'") in IMPERATIVE_STARTS


def _lists(blocks: list[Block] | tuple[Block, ...]) -> list[_Candidate]:
    """Every list of the body (item lists and runs of numbered subheadings) with its lead-in."""
    found: list[_Candidate] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        lead_in = _lead_in(blocks, index)
        if block.kind == "item":
            items: dict[int | str, str] = {}
            while index < len(blocks) and blocks[index].kind == "item":
                item = blocks[index]
                if item.list_id == block.list_id:
                    items.setdefault(item.number if item.number is not None else index, item.text)
                index += 1
            found.append(_Candidate(tuple(items.values()), lead_in))
            continue
        numbered = _numbered_headings(blocks, index)
        if len(numbered) >= 2:
            found.append(_Candidate(tuple(numbered), lead_in))
            index = _skip_numbered(blocks, index)
            continue
        index += 1
    return found


def _lead_in(blocks: list[Block] | tuple[Block, ...], index: int) -> str:
    """The block just before a list, plus the nearest heading up to three blocks back."""
    before = blocks[max(0, index - 3) : index]
    texts = [before[-1].text] if before else []
    headings = [b.text for b in before[:-1] if b.kind == "heading"]
    return " ".join(headings[-1:] + texts)


def _numbered_headings(blocks: list[Block] | tuple[Block, ...], start: int) -> list[str]:
    """Texts of "1. …", "2. …" subheadings of one level from `start` on, paragraphs between."""
    first = blocks[start]
    if first.kind != "heading" or not _NUMBERED_HEADING.match(first.text):
        return []
    texts: list[str] = []
    for index in range(start, len(blocks)):
        block = blocks[index]
        if block.kind == "heading":
            match = _NUMBERED_HEADING.match(block.text)
            if block.level != first.level or not match or int(match.group(1)) != len(texts) + 1:
                break
            texts.append(match.group(2))
    return texts


def _skip_numbered(blocks: list[Block] | tuple[Block, ...], start: int) -> int:
    count = len(_numbered_headings(blocks, start))
    seen = 0
    for index in range(start, len(blocks)):
        if blocks[index].kind == "heading":
            seen += 1
            if seen > count:
                return index
    return len(blocks)


def _score(candidate: _Candidate) -> float:
    items = candidate.items
    if len(items) < 2 or NOT_ADVICE_CUE.search(candidate.lead_in):
        return 0.0
    imperative = sum(_starts_imperative(item) for item in items) / len(items)
    link_like = all(len(words(item)) <= 3 for item in items)
    if link_like and imperative < 0.5 and not ADVICE_CUE.search(candidate.lead_in):
        return 0.0  # navigation, tags, a table of contents
    cue = 2.0 if ADVICE_CUE.search(candidate.lead_in) else 0.0
    return cue + 2.0 * imperative


def extract_highlights(blocks: list[Block] | tuple[Block, ...]) -> tuple[str, ...]:
    """The lead phrases of the post's advice list(s); empty when it has none."""
    scored = [(c, _score(c)) for c in _lists(blocks)]
    accepted = [c for c, score in scored if score >= ACCEPT_SCORE]
    phrases: list[str] = []
    for candidate in accepted:
        for item in candidate.items:
            phrase = lead_phrase(item)
            if phrase and phrase.casefold() not in {p.casefold() for p in phrases}:
                phrases.append(phrase)
    return tuple(phrases[:MAX_HIGHLIGHTS])
