"""No summary opens on a sentence that leans on one the reader never sees, in nl, en or fr."""

from __future__ import annotations

from pathlib import Path

import pytest

from distributor.content.blocks import words
from distributor.content.digest import build_digest
from distributor.content.summary_cues import introduces_the_author, opens_dangling
from distributor.model import Post
from distributor.sources.files import read_post_file

CONTENT = Path(__file__).parent
POST_FILES = sorted([*(CONTENT / "gold").glob("*/*.md"), *(CONTENT / "posts").iterdir()], key=str)
# Openers that refer back, listed here independently of the summary module's own list.
LEANING_OPENERS = {
    "nl": {
        "toch",
        "dit",
        "dat",
        "deze",
        "die",
        "daarom",
        "daardoor",
        "hierdoor",
        "ook",
        "maar",
        "en",
        "echter",
        "bovendien",
        "zo",
        "dan",
        "hij",
        "zij",
        "ze",
        "bijvoorbeeld",
    },
    "en": {
        "this",
        "that",
        "these",
        "those",
        "it",
        "however",
        "but",
        "and",
        "so",
        "also",
        "therefore",
        "they",
        "he",
        "she",
        "then",
        "such",
    },
    "fr": {
        "et",
        "ce",
        "cela",
        "ces",
        "cette",
        "il",
        "elle",
        "ils",
        "elles",
        "mais",
        "donc",
        "alors",
        "aussi",
        "pourtant",
        "cependant",
        "c'est",
        "ensuite",
    },
}


def first_word(summary: str) -> str:
    return words(summary)[0].lower().replace("’", "'")


@pytest.mark.parametrize("path", POST_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_summary_of_our_posts_opens_on_a_connective_or_pronoun(path: Path):
    digest = build_digest(read_post_file(path))
    assert digest.summary
    assert first_word(digest.summary) not in LEANING_OPENERS[digest.language]


def test_the_seed_posts_summary_opens_on_a_sentence_that_stands_alone(sample_post: Post):
    digest = build_digest(sample_post)
    assert first_word(digest.summary) not in LEANING_OPENERS["nl"]


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("Toch hoeft nekpijn geen blijvertje te zijn.", "nl"),
        ("Het was een probleem dat mijn dagelijks leven beïnvloedde.", "nl"),
        ("Met andere woorden: de oorzaak is vaak onduidelijk.", "nl"),
        ("However, most runners recover within eight weeks.", "en"),
        ("It affects about one in ten people.", "en"),
        ("Et chaque printemps, les mêmes douleurs reviennent.", "fr"),
        ("C’est une douleur fréquente et rarement grave.", "fr"),
        ("Cette affection touche surtout les personnes de 40 à 60 ans.", "fr"),
    ],
)
def test_sentences_that_lean_on_the_previous_one_are_recognised(sentence: str, language: str):
    assert opens_dangling(sentence, language)


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("Het onderzoek van de voorbije dertig jaar zegt iets anders.", "nl"),
        ("Knieklachten komen veel voor bij sporters.", "nl"),
        ("Plantar fasciitis causes a sharp pain under the heel.", "en"),
        ("La sciatique est une douleur qui descend dans la jambe.", "fr"),
    ],
)
def test_sentences_that_stand_alone_are_not_taken_for_leaning_ones(sentence: str, language: str):
    assert not opens_dangling(sentence, language)


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("Hallo allemaal, mijn naam is Elias Vandendriessche.", "nl"),
        ("Inmiddels werk ik al zes jaar bij Tim Willems Kinesitherapie.", "nl"),
        ("Hi, I'm Tom, and I have been a physiotherapist at our clinic for eleven years.", "en"),
        ("Bonjour, je m'appelle Julie et je suis kinésithérapeute au cabinet.", "fr"),
    ],
)
def test_an_authors_self_introduction_is_recognised(sentence: str, language: str):
    assert introduces_the_author(sentence, language)
