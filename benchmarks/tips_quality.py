"""Precision and recall of the highlights (the post's tips) on the tips corpus, per language.

    .venv/bin/python benchmarks/tips_quality.py

The corpus is tests/content/tips_corpus/: posts in nl, en and fr (markdown, HTML, plain text)
with the highlights a reader expects written down before the finder was tuned, and posts whose
lists are not advice (symptoms, causes, risk factors, links, sources), which expect none. A
found highlight counts as correct when it equals an expected one, ignoring case. Goal: precision
and recall >= 0.95 in every language. tests/content/tips_holdout/ holds six more posts written
after the tuning and never tuned on; they are scored apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.content.tips_corpus import (  # noqa: E402
    HOLDOUT,
    TipsCase,
    corpus_cases,
    found_highlights,
    precision_recall,
)

LANGUAGES = ("nl", "en", "fr")


def report_language(language: str, cases: list[TipsCase]) -> None:
    """Print one language's figures."""
    precision, recall = precision_recall(cases)
    expected = sum(len(case.expected) for case in cases)
    negatives = sum(not case.expected for case in cases)
    print(
        f"{language}: {len(cases)} posts ({negatives} without advice), {expected} expected "
        f"highlights; precision {precision:.3f}, recall {recall:.3f}"
    )


def report_misses(cases: list[TipsCase]) -> None:
    """Print every post whose highlights differ from those written down."""
    for case in cases:
        found = found_highlights(case)
        if found != case.expected:
            print(f"  {case.name}: found {list(found)}, expected {list(case.expected)}")


def report(title: str, cases: list[TipsCase]) -> None:
    """Print a set's figures per language and overall, then its misses."""
    print(title)
    for language in LANGUAGES:
        report_language(language, [case for case in cases if case.language == language])
    precision, recall = precision_recall(cases)
    print(f"all: {len(cases)} posts; precision {precision:.3f}, recall {recall:.3f}")
    report_misses(cases)


def main() -> None:
    """Score the corpus, then the held-out posts written after tuning."""
    report("tips corpus (tests/content/tips_corpus)", corpus_cases())
    report("held out (tests/content/tips_holdout, never tuned on)", corpus_cases(HOLDOUT))


if __name__ == "__main__":
    main()
