import pytest

from distributor.content.imperatives import starts_with_imperative


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Wissel je houding af", "nl"),
        ("Kies de juiste schoenen", "nl"),
        ("Neem elk uur een pauze", "nl"),
        ("Weigh yourself after a run", "en"),
        ("Replace long runs with short ones", "en"),
        ("Échauffez-vous avant la descente", "fr"),
        ("Ne forcez jamais une chute", "fr"),
        ("Privilégier le vélo", "fr"),
    ],
)
def test_imperatives_are_recognised_beyond_the_common_list(text, language):
    assert starts_with_imperative(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Een zware schooltas", "nl"),
        ("Veel scheuren geven geen klachten", "nl"),
        ("Numbness in the foot", "en"),
        ("The pain shoots below the knee", "en"),
        ("Une douleur la nuit", "fr"),
        ("Fièvre et frissons", "fr"),
        ("Assez de sommeil", "fr"),
    ],
)
def test_noun_phrases_and_statements_are_not_imperatives(text, language):
    assert not starts_with_imperative(text, language)
