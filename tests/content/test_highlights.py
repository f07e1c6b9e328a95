from distributor.content.blocks import Block
from distributor.content.extract import extract_blocks
from distributor.content.highlights import extract_highlights, lead_phrase


def highlights_of(body: str, body_format: str = "markdown") -> tuple[str, ...]:
    return extract_highlights(extract_blocks(body, body_format))  # type: ignore[arg-type]


INTRO = "Rugpijn komt veel voor. De meeste mensen herstellen vanzelf binnen enkele weken.\n\n"


def test_lead_phrase_is_the_text_before_the_first_colon_period_or_question_mark():
    assert lead_phrase("Geen paniek: een zenuw is gevoelig.") == "Geen paniek"
    assert (
        lead_phrase("Blijf bewegen waar mogelijk. Pas je activiteiten aan.")
        == "Blijf bewegen waar mogelijk"
    )
    assert lead_phrase("Check your shoes? Worn-out shoes lose cushioning.") == "Check your shoes"
    assert (
        lead_phrase("durf twijfelen aan pijnkliniek: infiltraties")
        == "Durf twijfelen aan pijnkliniek"
    )


def test_lead_phrase_keeps_decimal_numbers_whole():
    assert (
        lead_phrase("Drink 1.5 liter water per dag. Vooral bij warm weer.")
        == "Drink 1.5 liter water per dag"
    )


def test_highlights_come_from_the_posts_own_numbered_list_after_an_advice_lead_in():
    body = (
        INTRO + "## Wat is dan aan te raden?\n\n1. Geen paniek: het gaat over.\n2. Slaap genoeg.\n"
    )
    assert highlights_of(body) == ("Geen paniek", "Slaap genoeg")


def test_a_bulleted_list_of_imperatives_is_advice_even_without_a_lead_in():
    body = INTRO + "- Avoid screens before bed.\n- Keep a fixed routine.\n- Walk every evening.\n"
    assert highlights_of(body) == (
        "Avoid screens before bed",
        "Keep a fixed routine",
        "Walk every evening",
    )


def test_french_advice_list_in_html():
    body = (
        "<p>Intro.</p><h2>Nos conseils</h2>"
        "<ul><li>Bougez souvent.</li><li>Buvez de l'eau.</li></ul>"
    )
    assert highlights_of(body, "html") == ("Bougez souvent", "Buvez de l'eau")


def test_a_symptoms_list_is_not_advice():
    body = INTRO + "## Symptomen\n\n- Pijn in het been\n- Tintelingen in de voet\n- Krachtverlies\n"
    assert highlights_of(body) == ()


def test_a_causes_list_with_imperative_looking_items_is_not_advice():
    body = INTRO + "Common causes of back pain:\n\n- Sit too long.\n- Lift badly.\n"
    assert highlights_of(body) == ()


def test_a_table_of_contents_or_navigation_list_is_not_advice():
    body = (
        "<ul><li><a href='#a'>Intro</a></li><li><a href='#b'>Oorzaken</a></li>"
        "<li>Behandeling</li></ul>"
    )
    assert highlights_of(body, "html") == ()


def test_a_post_without_any_list_has_no_highlights():
    assert highlights_of(INTRO) == ()


def test_numbered_subheadings_are_a_tips_list():
    blocks = [
        Block("paragraph", "Vijf tips voor een gezonde rug."),
        Block("heading", "1. Blijf actief", level=3),
        Block("paragraph", "Uitleg."),
        Block("heading", "2. Slaap voldoende", level=3),
        Block("paragraph", "Uitleg."),
    ]
    assert extract_highlights(blocks) == ("Blijf actief", "Slaap voldoende")


def test_plain_text_numbered_items_are_read_as_a_list():
    body = "Intro tekst.\n\nOnze tips:\n\n  1. Neem rust: niet te lang.\n  2. Beweeg dagelijks.\n"
    assert highlights_of(body, "text") == ("Neem rust", "Beweeg dagelijks")


def test_a_step_label_is_not_the_lead_phrase():
    assert lead_phrase("Stap 1: Neem rust. Twee dagen.") == "Neem rust"
    assert lead_phrase("Tip 2 - Drink water") == "Drink water"


def test_a_related_posts_list_is_not_advice():
    body = INTRO + "## Lees ook\n\n- Blijf bewegen met lage rugpijn\n- Neem rust na een blessure\n"
    assert highlights_of(body) == ()


def test_short_imperative_items_are_advice_even_without_a_lead_in():
    assert highlights_of(INTRO + "- Blijf bewegen.\n- Slaap genoeg.\n") == (
        "Blijf bewegen",
        "Slaap genoeg",
    )


def test_an_abbreviation_does_not_end_the_lead_phrase():
    assert lead_phrase("Beweeg bv. elk uur even. Dat helpt.") == "Beweeg bv. elk uur even"
