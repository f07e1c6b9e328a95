"""Highlights: the post's own practical advice, as the lead phrases of its tips.

Tips come in three shapes: a list (numbered or bulleted, under any heading or none, right under
the title too); a run of labelled subheadings ("Tip 1: …", "Stap 2 –", "Conseil n°3 :",
"Step 4.", "Ten eerste: …"); a run of plain subheadings that each start with an imperative
("Wissel zware en lichte klussen af"), each followed by its explanation. A list counts as advice
when its lead-in says so ("Wat is dan aan te raden", "tips", "conseils", "what you can do") or
most of its items start with an imperative (content/imperatives.py). Lists announced as symptoms,
causes, risk factors, contents, links or sources, and lists of short link-like items, are never
advice. Nothing is invented: no tips, no highlights.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from distributor.content.blocks import Block, normalise_space, words
from distributor.content.imperatives import starts_with_imperative
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
_ORDINALS = (
    r"ten (?:eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|slotte)|"
    r"tot slot|als laatste|first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|fifth(?:ly)?|"
    r"finally|lastly|premièrement|deuxièmement|troisièmement|quatrièmement|cinquièmement|"
    r"d'abord|ensuite|enfin|pour finir"
)
_LABEL_WORDS = r"tips?|stap|step|conseil|astuce|étape|etape|regel|rule|règle|oefening|exercice"
_LABELLED_HEADING = re.compile(
    rf"^(?:(?P<word>{_LABEL_WORDS})\s*(?:n[°º]\s*|nr\.?\s*|#\s*)?(?P<n1>\d{{1,2}})\s*[.:)\-–—]?"
    rf"|(?P<n2>\d{{1,2}})\s*[.):\-–]|(?P<ordinal>{_ORDINALS})\s*[:,.\-–—])\s*(?P<text>\S.*)$",
    re.IGNORECASE,
)
_STEP_LABEL = re.compile(
    rf"^(?:{_LABEL_WORDS})\s*(?:n[°º]\s*)?\d{{1,2}}\s*[:.)\-–—]\s*", re.IGNORECASE
)
_LEAD_END = re.compile(r"[:?!]|\.(?=\s|$)|\s[–—]\s")
JUDGED_ITEMS = 40  # a list is judged by its first items: bounds the work on a hostile page
MIN_IMPERATIVE_HEADINGS = 3  # plain imperative subheadings in a row, without an advice cue


@dataclass(frozen=True)
class _Candidate:
    items: tuple[str, ...]
    lead_in: str  # the heading or sentence just before the list
    shape: str = "list"  # "list", "labelled" (Tip 1, Stap 2, Ten eerste) or "headings"
    labelled_as_tips: bool = False  # "Tip 1", "Conseil n°3", "Step 4." say so themselves


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


Blocks = list[Block] | tuple[Block, ...]


def _item_lists(blocks: Blocks) -> list[tuple[int, _Candidate]]:
    """Every list of items, with its position and lead-in."""
    found: list[tuple[int, _Candidate]] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind != "item":
            index += 1
            continue
        start = index
        items: dict[int | str, str] = {}
        while index < len(blocks) and blocks[index].kind == "item":
            item = blocks[index]
            if item.list_id == block.list_id:
                items.setdefault(item.number if item.number is not None else index, item.text)
            index += 1
        found.append((start, _Candidate(tuple(items.values()), _lead_in(blocks, start))))
    return found


def _sibling_headings(blocks: Blocks, start: int) -> list[int]:
    """Indexes of the headings of `start`'s level until a heading of a higher level."""
    level = blocks[start].level
    siblings = []
    for index in range(start, len(blocks)):
        block = blocks[index]
        if block.kind == "heading":
            if block.level < level:
                break
            if block.level == level:
                siblings.append(index)
    return siblings


def _labelled(text: str) -> re.Match[str] | None:
    return _LABELLED_HEADING.match(text)


def _labelled_runs(blocks: Blocks, siblings: list[int]) -> list[tuple[int, _Candidate]]:
    """Runs of subheadings numbered or ordered ("Tip 1: …", "Stap 2 –", "Ten eerste: …")."""
    runs: list[tuple[int, _Candidate]] = []
    run: list[tuple[int, re.Match[str]]] = []

    def close() -> None:
        if len(run) >= 2:
            texts = tuple(match.group("text") for _, match in run)
            tips = any(match.group("word") for _, match in run)
            lead_in = _lead_in(blocks, run[0][0])
            runs.append((run[0][0], _Candidate(texts, lead_in, "labelled", tips)))
        run.clear()

    for index in siblings:
        match = _labelled(blocks[index].text)
        number = (match.group("n1") or match.group("n2")) if match else None
        previous = run[-1][1] if run else None
        previous_number = (previous.group("n1") or previous.group("n2")) if previous else None
        follows = (
            match is not None
            and previous is not None
            and (number is None) == (previous_number is None)
            and (number is None or int(number) == int(previous_number or 0) + 1)
        )
        if not follows:
            close()
        if match:
            run.append((index, match))
    close()
    return runs


def _imperative_runs(
    blocks: Blocks, siblings: list[int], language: str
) -> list[tuple[int, _Candidate]]:
    """Runs of plain subheadings that each start with an imperative ("Wissel van houding")."""
    runs: list[tuple[int, _Candidate]] = []
    run: list[int] = []
    for index in [*siblings, -1]:
        text = blocks[index].text if index >= 0 else ""
        if text and not _labelled(text) and starts_with_imperative(text, language):
            run.append(index)
            continue
        if len(run) >= 2:
            texts = tuple(blocks[i].text for i in run)
            runs.append((run[0], _Candidate(texts, _lead_in(blocks, run[0]), "headings")))
        run = []
    return runs


def _heading_runs(blocks: Blocks, language: str) -> list[tuple[int, _Candidate]]:
    """Subheadings that carry the tips, each followed by its explanation."""
    found: list[tuple[int, _Candidate]] = []
    seen: set[int] = set()
    for index, block in enumerate(blocks):
        if block.kind != "heading" or index in seen:
            continue
        siblings = _sibling_headings(blocks, index)
        seen.update(siblings)
        found.extend(_labelled_runs(blocks, siblings))
        found.extend(_imperative_runs(blocks, siblings, language))
    return found


def _lead_in(blocks: Blocks, index: int) -> str:
    """The block just before a list, plus the nearest heading up to three blocks back."""
    before = blocks[max(0, index - 3) : index]
    texts = [before[-1].text] if before else []
    headings = [b.text for b in before[:-1] if b.kind == "heading"]
    return " ".join(headings[-1:] + texts)


def _score(candidate: _Candidate, language: str) -> float:
    items = candidate.items[:JUDGED_ITEMS]
    if len(items) < 2 or NOT_ADVICE_CUE.search(candidate.lead_in):
        return 0.0
    cue = 2.0 if ADVICE_CUE.search(candidate.lead_in) else 0.0
    if candidate.labelled_as_tips:
        return ACCEPT_SCORE + cue
    imperative = sum(starts_with_imperative(item, language) for item in items) / len(items)
    if candidate.shape == "headings":
        enough = len(items) >= MIN_IMPERATIVE_HEADINGS or cue
        return ACCEPT_SCORE + cue if enough else 0.0
    link_like = all(len(words(item)) <= 3 for item in items)
    if link_like and imperative < 0.5 and not cue:
        return 0.0  # navigation, tags, a table of contents
    return cue + 2.0 * imperative


def extract_highlights(blocks: Blocks, language: str = "") -> tuple[str, ...]:
    """The lead phrases of the post's advice list(s); empty when it has none."""
    candidates = sorted(
        [*_item_lists(blocks), *_heading_runs(blocks, language)], key=lambda found: found[0]
    )
    phrases: dict[str, str] = {}  # by casefolded text, in order
    for _, candidate in candidates:
        if _score(candidate, language) < ACCEPT_SCORE:
            continue
        for item in candidate.items:
            phrase = lead_phrase(item)
            if phrase:
                phrases.setdefault(phrase.casefold(), phrase)
            if len(phrases) == MAX_HIGHLIGHTS:
                return tuple(phrases.values())
    return tuple(phrases.values())
