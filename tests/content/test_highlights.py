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


def test_a_list_of_imperatives_under_any_heading_is_advice():
    body = (
        INTRO + "## Zo bouw je veilig op\n\n- Blijf in beweging: wandel.\n"
        "- Wissel je houding af: sta op.\n- Bouw rustig op: tien procent per week.\n"
    )
    assert highlights_of(body) == ("Blijf in beweging", "Wissel je houding af", "Bouw rustig op")


def test_labelled_subheadings_are_tips_in_every_language():
    for labels in (
        ("Tip 1: Verminder de belasting", "Tip 2: Train je kuiten"),
        ("Stap 1 – Koel de enkel", "Stap 2 – Leg het been hoog"),
        ("Conseil n°1 : Restez actif", "Conseil n°2 : Marchez chaque jour"),
        ("Step 1. Walk without pain", "Step 2. Strengthen the calf"),
        ("Ten eerste: zet je scherm hoger", "Ten tweede: neem pauzes"),
    ):
        blocks = [Block("paragraph", "Intro.")]
        for label in labels:
            blocks += [Block("heading", label, level=2), Block("paragraph", "Uitleg.")]
        found = extract_highlights(blocks)
        assert len(found) == 2 and not any(label in found for label in labels), found


def test_plain_imperative_subheadings_each_followed_by_a_paragraph_are_tips():
    blocks = [Block("paragraph", "Tuinwerk belast de rug.")]
    for heading in ("Begin met korte sessies", "Wissel zware klussen af", "Gebruik een kruiwagen"):
        blocks += [Block("heading", heading, level=3), Block("paragraph", "Uitleg.")]
    assert extract_highlights(blocks, "nl") == (
        "Begin met korte sessies",
        "Wissel zware klussen af",
        "Gebruik een kruiwagen",
    )


def test_section_titles_that_are_not_imperatives_are_not_tips():
    blocks = [Block("paragraph", "Intro.")]
    for heading in ("What tennis elbow is", "Treat it at home", "When to see a doctor"):
        blocks += [Block("heading", heading, level=2), Block("paragraph", "Text.")]
    assert extract_highlights(blocks, "en") == ()


def test_an_ordered_list_directly_under_the_title_is_advice():
    body = (
        "<h1>Seven habits for a healthy back</h1><ol><li>Walk every day.</li>"
        "<li>Lift with your legs.</li><li>Quit smoking: it slows healing.</li></ol><p>Text.</p>"
    )
    assert highlights_of(body, "html") == ("Walk every day", "Lift with your legs", "Quit smoking")


def test_a_french_list_of_infinitives_is_advice():
    body = INTRO + "## Au quotidien\n\n- Marcher chaque jour.\n- Perdre quelques kilos.\n"
    assert highlights_of(body) == ("Marcher chaque jour", "Perdre quelques kilos")


def test_a_risk_factors_list_of_infinitives_is_not_advice():
    body = INTRO + "## Facteurs de risque\n\n- Être une femme.\n- Pratiquer un sport.\n"
    assert highlights_of(body) == ()


def test_a_hostile_run_of_tens_of_thousands_of_tips_gives_at_most_ten_highlights():
    blocks = [Block("paragraph", "Intro.")]
    for number in range(1, 30_001):
        blocks += [Block("heading", f"Tip {number}: Blijf actief {number}", level=2)]
        blocks += [Block("item", f"Neem rust {number}", list_id=number)]
    found = extract_highlights(blocks, "nl")
    assert found[:2] == ("Blijf actief 1", "Blijf actief 2")
    assert len(found) == 10
