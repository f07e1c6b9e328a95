import re

from hypothesis import given
from hypothesis import strategies as st

from distributor.content.blocks import whole_word_spans, words

SPECIFIED_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@given(st.text(alphabet="ab é1-’'_ .,\n\u00a0", max_size=40))
def test_words_are_letters_or_digits_with_inner_hyphens_and_apostrophes(text):
    assert words(text) == SPECIFIED_WORD.findall(text)


def test_whole_word_spans_skip_a_word_inside_another():
    text = "rugpijn en pijn, pijn-klachten en pijn."
    assert whole_word_spans("pijn", text) == [(11, 15), (34, 38)]
