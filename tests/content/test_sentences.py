import pytest

from distributor.content.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Neem bv. Jan als voorbeeld. Dat is o.a. Duidelijk bij d.w.z. Elke patiënt.",
            "nl",
            ["Neem bv. Jan als voorbeeld.", "Dat is o.a. Duidelijk bij d.w.z. Elke patiënt."],
        ),
        (
            "Vraag het aan Dr. Peeters. Hij weet het.",
            "nl",
            ["Vraag het aan Dr. Peeters.", "Hij weet het."],
        ),
        (
            "Il y a p. ex. Des cas rares. M. Dupont est guéri! Vraiment?",
            "fr",
            ["Il y a p. ex. Des cas rares.", "M. Dupont est guéri!", "Vraiment?"],
        ),
        (
            "I walked 3.5 km with Dr. Smith. Then I rested (a lot). Next day I ran.",
            "en",
            ["I walked 3.5 km with Dr. Smith.", "Then I rested (a lot).", "Next day I ran."],
        ),
    ],
)
def test_sentences_split_at_ends_but_not_after_abbreviations(text, language, expected):
    assert split_sentences(text, language) == expected


def test_etc_at_the_end_of_a_sentence_ends_it():
    text = "Lang zitten, lang staan, etc. Ik voelde constant pijn."
    assert split_sentences(text, "nl") == [
        "Lang zitten, lang staan, etc.",
        "Ik voelde constant pijn.",
    ]


def test_a_text_without_final_punctuation_is_one_sentence():
    assert split_sentences("een wervel met lichte bulging", "nl") == [
        "een wervel met lichte bulging"
    ]
