"""A 2-3 sentence extractive summary: a small TextRank over the article's paragraph sentences.

Sentences come only from cleaned paragraphs (never headings, list items, captions or
references). Each is a TF-IDF vector over its content words; sentences vote for each other by
cosine similarity and a PageRank with a lead-position prior ranks them. The best ones that fit
15-90 words are returned in their original order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from distributor.content.blocks import Block, word_set, words
from distributor.content.sentences import split_sentences
from distributor.content.stopwords import stop_words

MIN_WORDS, MAX_WORDS = 15, 90
SENTENCE_MIN_WORDS, SENTENCE_MAX_WORDS = 6, 45
MAX_CANDIDATES = 60
FALLBACK_MAX_CHARS = 500
DAMPING = 0.85
ITERATIONS = 40
LEAD_DECAY = 0.15  # lead weight of sentence i is LEAD_BASE + 1 / (1 + LEAD_DECAY * i)
LEAD_BASE = 0.5
TITLE_WEIGHT = 2.0  # how much a sentence's similarity to the title raises its score
DANGLING_PENALTY = 0.5  # a sentence opening on "Dit", "It", "Cela"... leans on a previous one
DANGLING_STARTS = {
    "nl": word_set("dit dat deze die het hij zij ze daarom daardoor hierdoor daarna toen ook"),
    "en": word_set("this that these those it he she they so then also however therefore"),
    "fr": word_set("ce cela ceci ces il elle ils elles alors donc aussi puis cependant"),
}
STEM_CHARS = 6
REDUNDANT = 0.5  # cosine above which a second sentence repeats the first
_UNFIT = re.compile(r"https?://|www\.|\bdoi\b|@\w|\[\d+\]", re.IGNORECASE)


@dataclass(frozen=True)
class _Candidate:
    position: int
    text: str
    length: int
    vector: dict[str, float]


def _fit(sentence: str) -> bool:
    count = len(words(sentence))
    return (
        SENTENCE_MIN_WORDS <= count <= SENTENCE_MAX_WORDS
        and sentence[:1].isupper()
        and sentence.rstrip("\"'”’»)").endswith((".", "!"))
        and not _UNFIT.search(sentence)
    )


def _terms(sentence: str, stop: frozenset[str]) -> list[str]:
    """Content words cut to a common prefix, a cheap stemmer that suits nl, fr and en alike."""
    lowered = (w.lower() for w in words(sentence))
    return [w[:STEM_CHARS] for w in lowered if w not in stop and len(w) > 2 and not w.isdigit()]


def _candidates(
    blocks: list[Block] | tuple[Block, ...], language: str, title: str
) -> list[_Candidate]:
    sentences: list[str] = []
    for block in blocks:
        if block.kind == "paragraph":
            sentences.extend(s for s in split_sentences(block.text, language) if _fit(s))
            if len(sentences) >= MAX_CANDIDATES:
                break
    sentences = sentences[:MAX_CANDIDATES]
    stop = stop_words(language)
    bags = [Counter(_terms(s, stop)) for s in [*sentences, title]]
    frequency = Counter(term for bag in bags for term in bag)
    total = len(bags)
    result = []
    for position, (sentence, bag) in enumerate(zip([*sentences, title], bags, strict=True)):
        vector = {t: (1 + math.log(n)) * math.log(1 + total / frequency[t]) for t, n in bag.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        unit = {t: v / norm for t, v in vector.items()}
        result.append(_Candidate(position, sentence, len(words(sentence)), unit))
    return result


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _centrality(candidates: list[_Candidate]) -> np.ndarray:
    """TextRank: PageRank over the cosine-similarity graph of the sentences (mean 1)."""
    count = len(candidates)
    vocabulary = {t: i for i, t in enumerate({t for c in candidates for t in c.vector})}
    matrix = np.zeros((count, max(len(vocabulary), 1)))
    for row, candidate in enumerate(candidates):
        for term, value in candidate.vector.items():
            matrix[row, vocabulary[term]] = value
    similarity = matrix @ matrix.T
    np.fill_diagonal(similarity, 0.0)
    out_sums = similarity.sum(axis=1)
    out_sums[out_sums == 0] = 1.0
    transition = similarity / out_sums[:, None]
    scores = np.full(count, 1.0 / count)
    for _ in range(ITERATIONS):
        scores = (1 - DAMPING) / count + DAMPING * (transition.T @ scores)
    return scores * count


def _rank(candidates: list[_Candidate], title: _Candidate, language: str) -> list[float]:
    """Centrality (damped), weighted by a lead-position prior, title words, and coherence."""
    centrality = _centrality(candidates)
    dangling = DANGLING_STARTS.get(language, frozenset())
    ranked = []
    for index, candidate in enumerate(candidates):
        lead = 1.0 / (1.0 + LEAD_DECAY * index)
        on_title = len(candidate.vector.keys() & title.vector.keys()) / max(len(title.vector), 1)
        first_word = candidate.text.split(" ", 1)[0].strip(",").lower()
        coherence = DANGLING_PENALTY if first_word in dangling else 1.0
        ranked.append(
            math.sqrt(centrality[index])
            * (LEAD_BASE + lead)
            * (1.0 + TITLE_WEIGHT * on_title)
            * coherence
        )
    return ranked


def _select(candidates: list[_Candidate], scores: list[float]) -> list[_Candidate]:
    order = sorted(range(len(candidates)), key=lambda i: -scores[i])
    chosen: list[_Candidate] = []
    total = 0
    for index in order:
        candidate = candidates[index]
        if total + candidate.length > MAX_WORDS:
            continue
        if any(_cosine(candidate.vector, c.vector) > REDUNDANT for c in chosen):
            continue
        chosen.append(candidate)
        total += candidate.length
        if len(chosen) == 3 or (len(chosen) == 2 and total >= 45):
            break
    return sorted(chosen, key=lambda c: c.position)


def summarize(blocks: list[Block] | tuple[Block, ...], language: str, title: str = "") -> str:
    """Two or three of the article's own sentences (15-90 words), in their original order."""
    *candidates, title_vector = _candidates(blocks, language, title)
    if not candidates:
        return _fallback(blocks)
    chosen = _select(candidates, _rank(candidates, title_vector, language))
    return " ".join(c.text for c in chosen)


def _fallback(blocks: list[Block] | tuple[Block, ...]) -> str:
    """When no sentence qualifies: the start of the first paragraph, cut at a word."""
    for block in blocks:
        if block.kind == "paragraph":
            head = " ".join(block.text.split()[: MAX_WORDS // 2])
            if len(head) > FALLBACK_MAX_CHARS:
                head = head[:FALLBACK_MAX_CHARS]
            return head + ("…" if len(head) < len(block.text.strip()) else "")
    return ""
