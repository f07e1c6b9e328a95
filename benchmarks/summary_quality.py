"""Summary quality: ROUGE-1 F1 of our summary against hand-written ones, beside two baselines.

    .venv/bin/python benchmarks/summary_quality.py [--posts] [--gold DIR]

The gold set (tests/content/gold/<language>/<slug>.md + <slug>.summary.txt) holds posts written
for this purpose, each with a two-sentence summary written by hand before any tuning;
heldout.txt names the posts kept out of tuning. For every post, in the same run:
  ours:     build_digest(post).summary (what the newsletter and snippets show);
  lead-3:   the first three sentences of the article's paragraphs;
  textrank: a plain TextRank (TF-IDF cosine graph, PageRank, best three, original order);
  oracle:   the best three of the article's own sentences for that post's gold summary.
ROUGE-1 F1 counts shared words (lowercased, every word kept, no stemming), clipped per word.
Prints the mean F1 per language and per part (tuned, held out, all) and ours / lead-3.
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from distributor.content.clean import clean_body
from distributor.content.digest import build_digest
from distributor.content.extract import extract_blocks
from distributor.content.sentences import split_sentences
from distributor.content.stopwords import stop_words
from distributor.sources.files import read_post_file

GOLD = Path(__file__).resolve().parent.parent / "tests" / "content" / "gold"
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
ORACLE_CANDIDATES = 40


@dataclass(frozen=True)
class Scored:
    """One gold post with each system's ROUGE-1 F1."""

    name: str
    language: str
    held_out: bool
    scores: dict[str, float]


def tokens(text: str) -> list[str]:
    """The words of a text, lowercased (apostrophes and hyphens split words)."""
    return [t.lower() for t in _TOKEN.findall(text)]


def rouge1_f1(candidate: str, reference: str) -> float:
    """ROUGE-1 F1: clipped unigram overlap, harmonic mean of precision and recall."""
    ours, theirs = Counter(tokens(candidate)), Counter(tokens(reference))
    overlap = sum((ours & theirs).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(ours.values()), overlap / sum(theirs.values())
    return 2 * precision * recall / (precision + recall)


def article_sentences(post_path: Path, language: str) -> list[str]:
    """The sentences of the cleaned article's paragraphs, in order."""
    post = read_post_file(post_path)
    cleaned = clean_body(extract_blocks(post.body, post.body_format), post.title)
    return [
        sentence
        for block in cleaned.blocks
        if block.kind == "paragraph"
        for sentence in split_sentences(block.text, language)
    ]


def textrank(sentences: list[str], language: str, count: int = 3) -> str:
    """A plain TextRank: TF-IDF vectors, cosine graph, PageRank; best `count`, in order."""
    stop = stop_words(language)
    bags = [Counter(t for t in tokens(s) if t not in stop) for s in sentences]
    frequency = Counter(t for bag in bags for t in bag)
    vocabulary = {t: i for i, t in enumerate(frequency)}
    matrix = np.zeros((len(sentences), max(len(vocabulary), 1)))
    for row, bag in enumerate(bags):
        for term, n in bag.items():
            matrix[row, vocabulary[term]] = n * math.log(1 + len(bags) / frequency[term])
    norms = np.linalg.norm(matrix, axis=1)
    norms[norms == 0] = 1.0
    unit = matrix / norms[:, None]
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, 0.0)
    sums = similarity.sum(axis=1)
    sums[sums == 0] = 1.0
    transition = similarity / sums[:, None]
    scores = np.full(len(sentences), 1.0 / len(sentences))
    for _ in range(50):
        scores = 0.15 / len(sentences) + 0.85 * (transition.T @ scores)
    best = sorted(np.argsort(-scores)[:count])
    return " ".join(sentences[i] for i in best)


def oracle(sentences: list[str], reference: str, count: int = 3) -> str:
    """The best choice of up to `count` of the post's own sentences for this reference."""
    pool = sentences[:ORACLE_CANDIDATES]
    best, best_score = "", -1.0
    for size in range(1, count + 1):
        for combination in itertools.combinations(pool, size):
            text = " ".join(combination)
            score = rouge1_f1(text, reference)
            if score > best_score:
                best, best_score = text, score
    return best


def gold_posts(gold: Path) -> list[tuple[Path, str, bool]]:
    """(post file, language, held out?) for every post with a hand-written summary."""
    held_out = set((gold / "heldout.txt").read_text(encoding="utf-8").split())
    found = []
    for path in sorted(gold.glob("*/*.md")):
        if path.with_suffix(".summary.txt").exists():
            name = f"{path.parent.name}/{path.stem}"
            found.append((path, path.parent.name, name in held_out))
    return found


def score_post(path: Path, language: str, held_out: bool) -> Scored:
    """Every system's ROUGE-1 F1 on one gold post."""
    reference = path.with_suffix(".summary.txt").read_text(encoding="utf-8").strip()
    sentences = article_sentences(path, language)
    systems = {
        "ours": build_digest(read_post_file(path)).summary,
        "lead-3": " ".join(sentences[:3]),
        "textrank": textrank(sentences, language),
        "oracle": oracle(sentences, reference),
    }
    scores = {name: rouge1_f1(text, reference) for name, text in systems.items()}
    return Scored(f"{language}/{path.stem}", language, held_out, scores)


def report(results: list[Scored]) -> None:
    """Mean F1 per language and part, with ours / lead-3."""
    systems = ["ours", "lead-3", "textrank", "oracle"]
    header = f"{'part':<16}{'posts':>6}" + "".join(f"{s:>10}" for s in systems) + "  ours/lead-3"
    print(header)
    groups: list[tuple[str, list[Scored]]] = [
        (language, [r for r in results if r.language == language])
        for language in ("nl", "en", "fr")
    ]
    groups += [
        ("tuned", [r for r in results if not r.held_out]),
        ("held out", [r for r in results if r.held_out]),
        ("all", results),
    ]
    for label, group in groups:
        if not group:
            continue
        means = {s: statistics.mean(r.scores[s] for r in group) for s in systems}
        ratio = means["ours"] / means["lead-3"]
        cells = "".join(f"{means[s]:>10.3f}" for s in systems)
        print(f"{label:<16}{len(group):>6}{cells}  {ratio:>10.2f}x")


def main() -> None:
    """Score every gold post and print the table (and, with --posts, each post)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", action="store_true", help="also print each post's scores")
    parser.add_argument("--gold", type=Path, default=GOLD)
    options = parser.parse_args()
    results = [score_post(*entry) for entry in gold_posts(options.gold)]
    if options.posts:
        for r in results:
            cells = " ".join(f"{k}={v:.3f}" for k, v in r.scores.items())
            print(f"{'H' if r.held_out else ' '} {r.name:<44} {cells}")
        print()
    report(results)


if __name__ == "__main__":
    main()
