from distributor.content.blocks import Block
from distributor.content.digest import build_digest
from distributor.content.sentences import split_sentences
from distributor.content.summary import summarize

PARAGRAPHS = [
    "Shin splints are one of the most common complaints we see in runners. The pain sits "
    "along the inner edge of the shinbone and usually appears at the start of a run.",
    "The good news is that shin splints are rarely serious. The bone and the muscles around "
    "it simply need more time to adapt to the load than you gave them.",
    "With the right changes, most runners are back to full training within eight weeks.",
]


def blocks_of(*texts: str, kind: str = "paragraph") -> list[Block]:
    return [Block(kind, text) for text in texts]  # type: ignore[arg-type]


def test_the_summary_is_two_or_three_of_the_posts_own_sentences():
    summary = summarize(blocks_of(*PARAGRAPHS), "en", "Shin splints")
    sentences = split_sentences(summary, "en")
    assert 2 <= len(sentences) <= 3
    assert 15 <= len(summary.split()) <= 90
    source = " ".join(PARAGRAPHS)
    assert all(sentence in source for sentence in sentences)


def test_summary_sentences_keep_their_original_order():
    summary = summarize(blocks_of(*PARAGRAPHS), "en", "Shin splints")
    positions = [" ".join(PARAGRAPHS).index(s) for s in split_sentences(summary, "en")]
    assert positions == sorted(positions)


def test_list_items_and_headings_never_enter_the_summary():
    blocks = [
        *blocks_of("Reduce your weekly distance by a third until the pain is gone.", kind="item"),
        *blocks_of("Why runners get shin splints so often in spring.", kind="heading"),
        *blocks_of(*PARAGRAPHS),
    ]
    summary = summarize(blocks, "en", "Shin splints")
    assert "Reduce" not in summary
    assert "spring" not in summary


def test_sentences_with_links_or_dois_are_not_summary_material():
    noisy = "See https://example.org/study for the full study that we discuss in this post."
    summary = summarize(blocks_of(noisy, *PARAGRAPHS), "en")
    assert "https" not in summary


def test_a_dutch_summary_is_taken_from_the_dutch_text():
    text = (
        "Knieklachten komen veel voor bij sporters, maar ook bij mensen die weinig bewegen. "
        "Een sterke bovenbeenspier neemt een groot deel van de belasting van de knie over. "
        "Daarom geven we in de praktijk bijna altijd oefeningen mee naar huis."
    )
    summary = summarize(blocks_of(text), "nl", "Oefeningen voor de knie")
    assert 2 <= len(split_sentences(summary, "nl")) <= 3
    assert all(s in text for s in split_sentences(summary, "nl"))


def test_a_body_of_only_lists_gives_an_empty_summary():
    assert summarize(blocks_of("Blijf bewegen.", "Wees geduldig.", kind="item"), "nl") == ""


def test_the_seed_posts_summary_names_the_hernia_and_how_it_healed(sample_post):
    summary = build_digest(sample_post).summary
    assert "hernia" in summary or "radiculaire pijn" in summary
    healed = (
        "Op dit moment is mijn rugpijn volledig weg",
        "mijn pijn volledig verdwenen is",
        "geneest het lokale letsel vanzelf",
        "grotendeels vanzelf over",
    )
    assert any(phrase in summary for phrase in healed)


def test_the_seed_posts_summary_skips_the_authors_introduction(sample_post):
    summary = build_digest(sample_post).summary
    assert "mijn naam is" not in summary
    assert "Inmiddels werk ik" not in summary
    assert "Hopelijk kan mijn ervaring" not in summary


def test_a_self_introduction_is_not_chosen_when_the_post_says_more():
    introduction = "Hallo allemaal, mijn naam is Sofie en ik werk al vier jaar als kinesist."
    summary = summarize(blocks_of(introduction, *PARAGRAPHS), "en", "Shin splints")
    assert "Sofie" not in summary


def test_a_sentence_leaning_on_the_one_before_never_opens_the_summary():
    text = (
        "Veel mensen hebben af en toe last van hun nek na een dag achter de computer. "
        "Toch hoeft nekpijn geen blijvertje te zijn, want nekpijn bij nekspieren verdwijnt vaak. "
        "Nekpijn komt vaak van nekspieren die urenlang aangespannen blijven. "
        "Met korte oefeningen voor de nek verdwijnt de nekpijn bij de meeste mensen."
    )
    summary = summarize(blocks_of(text), "nl", "Nekpijn en nekspieren")
    assert not summary.startswith("Toch")


def test_a_post_whose_only_sentences_lean_on_others_still_gets_a_summary():
    text = "Toch bleef de pijn nog weken aanwezig in de onderrug en het linkerbeen."
    assert summarize(blocks_of(text), "nl").startswith("Toch bleef de pijn")
