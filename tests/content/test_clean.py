from datetime import UTC, datetime

import pytest

from distributor.content.blocks import Block
from distributor.content.clean import clean_body
from distributor.content.extract import extract_blocks


def cleaned_texts(body: str, body_format: str = "text", title: str = "") -> list[str]:
    return [b.text for b in clean_body(extract_blocks(body, body_format), title).blocks]


ARTICLE = "Dit is een gewone alinea van het artikel met genoeg woorden om echt te tellen."


@pytest.mark.parametrize(
    "line",
    [
        "Terug naar blog",
        "Back to blog",
        "Retour au blog",
        "Leestijd: 5 min",
        "4 min read",
        "Temps de lecture : 3 min",
        "Geschreven door Elias",
        "Written by Tom Peeters",
        "Écrit par Marie Dubois",
        "Door Elias Vandendriessche",
        "11/09/24",
        "12 maart 2024",
        "Gepubliceerd op 3 maart 2024 · Leestijd: 4 min",
        "Wij gebruiken cookies om onze website te verbeteren.",
        "Deel dit artikel op Facebook of LinkedIn",
        "Schrijf je in voor onze nieuwsbrief",
        "Afbeelding: https://www.physio-pedia.com/Disc_Herniation",
    ],
)
def test_meta_lines_and_site_chrome_are_not_article(line):
    body = f"Titel\n\n{ARTICLE}\n\n{line}\n\n{ARTICLE}"
    assert line not in cleaned_texts(body)


def test_a_caption_between_paragraphs_is_dropped():
    body = f"Titel\n\n{ARTICLE}\n\neen wervel met lichte bulging\n\n{ARTICLE}"
    assert "een wervel met lichte bulging" not in cleaned_texts(body)


def test_a_sentence_starting_with_door_is_kept():
    line = "Door te blijven trainen ging de klacht na vier maanden grotendeels vanzelf over."
    assert line in cleaned_texts(f"Titel\n\n{ARTICLE}\n\n{line}")


@pytest.mark.parametrize("heading", ["Bronnen:", "Bronnen", "Referenties", "References", "Sources"])
def test_the_references_section_and_everything_after_it_is_cut(heading):
    body = f"Titel\n\n{ARTICLE}\n\n{heading}\n\nSome author. A study. 2020.\n\nMore after."
    assert cleaned_texts(body) == [ARTICLE]


def test_citation_lines_are_dropped_even_without_a_references_heading():
    body = f"Titel\n\n{ARTICLE}\n\nBrinjikji W, et al. Imaging. AJNR. 2015. doi:10.3174/ajnr.A4173."
    assert cleaned_texts(body) == [ARTICLE]


def test_the_title_is_the_first_heading_like_line_after_the_navigation():
    body = f"Terug naar blog\nLeestijd: 5 min\n\nMijn titel\n\n{ARTICLE}"
    cleaned = clean_body(extract_blocks(body, "text"))
    assert cleaned.title == "Mijn titel"
    assert [b.text for b in cleaned.blocks] == [ARTICLE]
    assert cleaned.declared_reading_time == 5


def test_a_declared_title_is_kept_and_its_repeated_heading_removed():
    body = f"<h1>Mijn titel</h1><p>{ARTICLE}</p>"
    cleaned = clean_body(extract_blocks(body, "html"), "Mijn titel")
    assert cleaned.title == "Mijn titel"
    assert [b.text for b in cleaned.blocks] == [ARTICLE]


def test_without_any_heading_the_title_is_the_start_of_the_first_sentence():
    cleaned = clean_body([Block("paragraph", ARTICLE)])
    assert cleaned.title == "Dit is een gewone alinea van het artikel met genoeg woorden om…"
    assert [b.text for b in cleaned.blocks] == [ARTICLE]


def test_a_standalone_belgian_date_gives_the_publication_date():
    cleaned = clean_body(extract_blocks(f"Titel\n\n{ARTICLE}\n\n11/09/24", "text"))
    assert cleaned.published == datetime(2024, 9, 11, tzinfo=UTC)


def test_list_items_are_never_taken_for_captions():
    body = f"Titel\n\n{ARTICLE}\n\n- durf twijfelen\n- blijf bewegen\n\n{ARTICLE}"
    assert "durf twijfelen" in cleaned_texts(body)


def test_a_navigation_bar_is_dropped_but_a_heading_starting_with_home_is_kept():
    heading = "Home exercises for a stiff back"
    body = f"Titel\n\nHome Blog Team Contact\n\n{ARTICLE}\n\n{heading}\n\n{ARTICLE}"
    texts = cleaned_texts(body)
    assert "Home Blog Team Contact" not in texts
    assert heading in texts
