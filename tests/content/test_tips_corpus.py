"""The tips corpus (tests/content/tips_corpus/): every post gives exactly the highlights written
down for it before the finder was tuned; lists that are not advice give none."""

import pytest

from tests.content.tips_corpus import HOLDOUT, corpus_cases, found_highlights, precision_recall

CASES = corpus_cases()
HELD_OUT = corpus_cases(HOLDOUT)


def test_the_corpus_holds_at_least_thirty_posts_over_three_languages():
    assert len(CASES) >= 30
    assert {case.language for case in CASES} == {"nl", "en", "fr"}
    assert sum(not case.expected for case in CASES) >= 9  # the negative posts


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_corpus_post_gives_the_highlights_written_down_for_it(case):
    assert found_highlights(case) == case.expected


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_precision_and_recall_reach_the_goal_in_every_language(language):
    precision, recall = precision_recall([c for c in CASES if c.language == language])
    assert precision >= 0.95 and recall >= 0.95


@pytest.mark.parametrize("case", HELD_OUT, ids=[case.name for case in HELD_OUT])
def test_posts_written_after_tuning_give_their_highlights_too(case):
    assert found_highlights(case) == case.expected
