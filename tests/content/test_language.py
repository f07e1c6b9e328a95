import pytest

from distributor.content.language import choose_language, normalise_language

DUTCH = (
    "Een hernia in de lage rug is een van de meest gevreesde diagnoses bij rugpijn. Toch "
    "geneest een groot deel van de hernia's vanzelf, zonder operatie, als je blijft bewegen."
)
ENGLISH = (
    "A running injury does not only hurt during the day. Many of our patients tell us that "
    "the pain keeps them awake at night, and that poor sleep makes the pain feel worse."
)
FRENCH = (
    "Le mal de dos est la première cause de consultation dans notre cabinet. La plupart de "
    "nos patients travaillent assis toute la journée, souvent devant un écran mal réglé."
)


@pytest.mark.parametrize(("text", "language"), [(DUTCH, "nl"), (ENGLISH, "en"), (FRENCH, "fr")])
def test_the_language_is_detected_offline_from_the_text(text, language):
    assert choose_language(text) == language


def test_short_dutch_text_is_never_called_afrikaans():
    assert choose_language("Blijf bewegen waar mogelijk en wees geduldig.") == "nl"


def test_a_declared_language_wins_for_text_too_short_to_judge():
    assert choose_language("Oké, merci!", "fr-BE") == "fr"


def test_a_wrong_template_language_is_overruled_by_a_clearly_dutch_body():
    assert choose_language(DUTCH * 2, "en-US") == "nl"


def test_an_unsupported_declared_language_is_ignored():
    assert choose_language(FRENCH * 2, "pt") == "fr"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("nl-BE", "nl"), ("FR_be", "fr"), ("en", "en"), ("pt-BR", None), (None, None)],
)
def test_language_tags_are_reduced_to_supported_primary_languages(code, expected):
    assert normalise_language(code) == expected
