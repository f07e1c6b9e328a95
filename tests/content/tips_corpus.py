"""The tips corpus: posts in nl, en and fr with the highlights a reader expects, one a line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from distributor.content.extract import extract_blocks
from distributor.content.highlights import extract_highlights
from distributor.model import BodyFormat

CORPUS = Path(__file__).parent / "tips_corpus"
HOLDOUT = Path(__file__).parent / "tips_holdout"  # written after tuning, never tuned on
FORMATS: dict[str, BodyFormat] = {".md": "markdown", ".html": "html", ".txt": "text"}


@dataclass(frozen=True)
class TipsCase:
    """One post of the corpus and the highlights written down for it."""

    name: str
    language: str
    body: str
    body_format: BodyFormat
    expected: tuple[str, ...]


def corpus_cases(folder: Path = CORPUS) -> list[TipsCase]:
    """Every post of the corpus (or of another folder of the same shape), by name."""
    cases = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in FORMATS:
            continue
        expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
        cases.append(
            TipsCase(
                name=path.name,
                language=path.name[:2],
                body=path.read_text(encoding="utf-8"),
                body_format=FORMATS[path.suffix],
                expected=tuple(line for line in expected if line.strip()),
            )
        )
    return cases


def found_highlights(case: TipsCase) -> tuple[str, ...]:
    """The highlights the content layer finds in a corpus post."""
    return extract_highlights(extract_blocks(case.body, case.body_format), case.language)


def precision_recall(cases: list[TipsCase]) -> tuple[float, float]:
    """Micro-averaged precision and recall of the found highlights (a match ignores case)."""
    found_total = expected_total = correct = 0
    for case in cases:
        found = {h.casefold() for h in found_highlights(case)}
        expected = {h.casefold() for h in case.expected}
        found_total += len(found)
        expected_total += len(expected)
        correct += len(found & expected)
    precision = correct / found_total if found_total else 1.0
    recall = correct / expected_total if expected_total else 1.0
    return precision, recall
