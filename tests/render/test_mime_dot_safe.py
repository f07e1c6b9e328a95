"""Quoted-printable bodies never start a line with '.', so SMTP sends them without re-escaping,
and still decode to the text with every line at most 76 characters."""

from __future__ import annotations

import quopri

import pytest
from hypothesis import given
from hypothesis import strategies as st

from distributor.render.mime import quoted_printable


def assert_dot_safe_and_faithful(text: str) -> None:
    encoded = quoted_printable(text)
    assert not encoded.startswith(b".") and b"\r\n." not in encoded
    assert all(len(line) <= 76 for line in encoded.split(b"\r\n"))
    decoded = quopri.decodestring(encoded).decode("utf-8").replace("\r\n", "\n")
    assert decoded == text


@pytest.mark.parametrize(
    "text",
    [".mj-outlook-group-fix { width:100% }", "a\n.b\n..c", "." + "y" * 74, ".." + "z" * 80],
)
def test_a_leading_dot_is_encoded_and_decodes_back(text):
    assert_dot_safe_and_faithful(text)


@given(st.lists(st.text(alphabet=".a é\t", max_size=90), max_size=6).map("\n".join))
def test_any_text_of_dots_letters_and_spaces_stays_dot_safe(text):
    assert_dot_safe_and_faithful(text)
