"""A two-sentence extractive summary: the article's own sentences that best say what it is about.

Sentences come only from cleaned paragraphs (never headings, list items, captions or
references). The post's topic is the words its blocks keep returning to, with the title's words
counted extra. A sentence scores by how much of that topic it carries per word, raised near the
start of the article and at the edges of its sections (a paragraph's opening, a section's last
sentence), and lowered when it introduces the author ("Hallo, mijn naam is…"). The best
sentences are chosen against redundancy (MMR) within a word budget; one that opens on a
connective or pronoun ("Toch", "It", "Cette") is chosen only right after the sentence it leans
on. The chosen sentences are returned in their original order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from distributor.content.blocks import Block, words
from distributor.content.sentences import split_sentences
from distributor.content.stopwords import stop_words
from distributor.content.summary_cues import introduces_the_author, opens_dangling

MIN_WORDS, MAX_WORDS = 15, 90
TARGET_WORDS = 45  # two sentences that reach this are a summary; shorter ones take a third
SENTENCE_MIN_WORDS, SENTENCE_MAX_WORDS = 6, 45
MAX_CANDIDATES = 60
MAX_BLOCKS_READ = 400  # the topic is read from the article's first blocks
FALLBACK_MAX_CHARS = 500
STEM_CHARS = 6
TITLE_BONUS = 2.0  # added to the weight of a word the title uses
LENGTH_EXPONENT = 0.3  # a sentence's topic weight is divided by its length to this power
LEAD_BONUS = 0.6  # the first sentence's score is raised by this share, later ones less
LEAD_SPAN = 2.0  # sentences over which the lead bonus fades (e-folding)
OPENING_BONUS = 0.5  # a paragraph's first sentence is raised by this share, a section's twice
CLOSING_BONUS = 0.3  # a section's last sentence is raised by this share: it often concludes
INTRODUCTION_WINDOW = 8  # an author introduces themselves in the first sentences, if at all
INTRODUCTION_PENALTY = 0.15  # score factor of a sentence that introduces the author
REDUNDANCY = 0.4  # MMR: a candidate's score drops by this share of its overlap with the chosen
_UNFIT = re.compile(r"https?://|www\.|\bdoi\b|@\w|\[\d+\]", re.IGNORECASE)


@dataclass(frozen=True)
class _Candidate:
    position: int
    text: str
    length: int
    terms: set[str]
    follows: int | None  # the candidate just before it in the same paragraph, if any
    dangling: bool
    introduction: bool
    opening: float  # 2 for a section's first sentence, 1 for a paragraph's, else 0
    closing: bool = False  # the last sentence before a heading or the article's end


def _fit(sentence: str, count: int) -> bool:
    return (
        SENTENCE_MIN_WORDS <= count <= SENTENCE_MAX_WORDS
        and sentence[:1].isupper()
        and sentence.rstrip("\"'”’»)").endswith((".", "!"))
        and not _UNFIT.search(sentence)
    )


def _terms(lowered_words: list[str], stop: frozenset[str]) -> set[str]:
    """Content words cut to a common prefix, a cheap stemmer that suits nl, fr and en alike."""
    return {
        w[:STEM_CHARS] for w in lowered_words if w not in stop and len(w) > 2 and not w.isdigit()
    }


def _read(
    blocks: list[Block] | tuple[Block, ...], language: str
) -> tuple[list[_Candidate], Counter[str]]:
    """The paragraph sentences that can stand in a summary, and how many blocks use each word."""
    stop = stop_words(language)
    found: list[_Candidate] = []
    spread: Counter[str] = Counter()
    after_heading = True
    for block in blocks[:MAX_BLOCKS_READ]:
        capped = len(found) >= MAX_CANDIDATES
        if block.kind != "paragraph" or capped:
            spread.update(_terms(words(block.text.lower()), stop))
            after_heading = block.kind == "heading"
            if after_heading and found and not capped:
                found[-1] = replace(found[-1], closing=True)
            continue
        spread.update(_paragraph(block.text, language, stop, after_heading, found))
        after_heading = False
    if found and len(found) < MAX_CANDIDATES:
        found[-1] = replace(found[-1], closing=True)
    return found, spread


def _paragraph(
    text: str, language: str, stop: frozenset[str], after_heading: bool, found: list[_Candidate]
) -> set[str]:
    """Add the paragraph's fit sentences to `found`; the content words of the whole paragraph."""
    used: set[str] = set()
    previous: int | None = None
    for index, sentence in enumerate(split_sentences(text, language)):
        lowered = words(sentence.lower())
        terms = _terms(lowered, stop)
        used |= terms
        if len(found) >= MAX_CANDIDATES or not _fit(sentence, len(lowered)):
            previous = None
            continue
        found.append(
            _Candidate(
                position=len(found),
                text=sentence,
                length=len(lowered),
                terms=terms,
                follows=previous,
                dangling=opens_dangling(sentence, language),
                introduction=len(found) < INTRODUCTION_WINDOW
                and introduces_the_author(sentence, language),
                opening=(1.0 + after_heading) if index == 0 else 0.0,
            )
        )
        previous = len(found) - 1
    return used


def _topic(spread: Counter[str], language: str, title: str) -> dict[str, float]:
    """Each content word's weight: how many blocks use it (two at least), plus the title's."""
    weights = {term: math.log(1 + count) for term, count in spread.items() if count > 1}
    for term in _terms(words(title.lower()), stop_words(language)):
        weights[term] = weights.get(term, 0.0) + TITLE_BONUS
    return weights


def _score(candidate: _Candidate, rank: int, topic: dict[str, float]) -> float:
    """Topic carried per word, raised at the start and at section edges, lowered for an intro."""
    carried = sum(topic.get(term, 0.0) for term in candidate.terms)
    score = carried / candidate.length**LENGTH_EXPONENT
    score *= 1.0 + LEAD_BONUS * math.exp(-rank / LEAD_SPAN)
    score *= 1.0 + OPENING_BONUS * candidate.opening + CLOSING_BONUS * candidate.closing
    return score * (INTRODUCTION_PENALTY if candidate.introduction else 1.0)


def _overlap(a: _Candidate, b: _Candidate) -> float:
    if not a.terms or not b.terms:
        return 0.0
    return len(a.terms & b.terms) / math.sqrt(len(a.terms) * len(b.terms))


def _select(candidates: list[_Candidate], scores: list[float]) -> list[_Candidate]:
    """Greedy MMR within the word budget; a dangling sentence only right after its antecedent."""
    chosen: list[_Candidate] = []
    total = 0
    while len(chosen) < 3 and not (len(chosen) >= 2 and total >= TARGET_WORDS):
        taken = {c.position for c in chosen}
        best, best_value = None, -math.inf
        for candidate, score in zip(candidates, scores, strict=True):
            if candidate.position in taken or total + candidate.length > MAX_WORDS:
                continue
            if candidate.dangling and candidate.follows not in taken:
                continue
            redundancy = max((_overlap(candidate, c) for c in chosen), default=0.0)
            value = score * (1.0 - REDUNDANCY * redundancy)
            if value > best_value:
                best, best_value = candidate, value
        if best is None:
            break
        chosen.append(best)
        total += best.length
    return sorted(chosen, key=lambda c: c.position)


def summarize(blocks: list[Block] | tuple[Block, ...], language: str, title: str = "") -> str:
    """Two (or three short) of the article's own sentences, 15-90 words, in their order."""
    candidates, spread = _read(blocks, language)
    if not candidates:
        return _fallback(blocks)
    topic = _topic(spread, language, title)
    ranks = _ranks(candidates)
    scores = [_score(c, ranks[c.position], topic) for c in candidates]
    chosen = _select(candidates, scores)
    return " ".join(c.text for c in chosen) if chosen else _fallback(blocks)


def _ranks(candidates: list[_Candidate]) -> dict[int, int]:
    """Each candidate's place in the article, not counting the author's introduction."""
    ranks, rank = {}, 0
    for candidate in candidates:
        ranks[candidate.position] = rank
        rank += 0 if candidate.introduction else 1
    return ranks


def _fallback(blocks: list[Block] | tuple[Block, ...]) -> str:
    """When no sentence qualifies: the start of the first paragraph, cut at a word."""
    for block in blocks:
        if block.kind == "paragraph":
            head = " ".join(block.text.split()[: MAX_WORDS // 2])
            if len(head) > FALLBACK_MAX_CHARS:
                head = head[:FALLBACK_MAX_CHARS]
            return head + ("…" if len(head) < len(block.text.strip()) else "")
    return ""
