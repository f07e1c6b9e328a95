import re
from datetime import UTC, datetime

import pytest

from distributor.content.digest import build_digest
from distributor.content.sentences import split_sentences
from distributor.errors import UserError
from distributor.model import Post
from tests.content.conftest import post_from_file

SAMPLE_HIGHLIGHTS = (
    "Geen paniek",
    "Blijf bewegen waar mogelijk",
    "Wees geduldig en vertrouw erop dat je lichaam zichzelf kan genezen",
    "Verzorg jezelf en je lichaam",
    "Laat je niet verleiden door enkel maar manuele behandelingen",
    "Durf twijfelen aan pijnkliniek",
    "Is de pijn chronisch geworden en sukkel je al jaren met terugkerende lage rugpijn",
)
NOT_ARTICLE = re.compile(
    r"\b(?:doi|pmid|brinjikji|bulging|geschreven door|et al\.|afbeelding)\b", re.IGNORECASE
)


@pytest.fixture(scope="module")
def sample_digest(sample_post):
    return build_digest(sample_post)


def test_the_sample_post_is_dutch(sample_digest):
    assert sample_digest.language == "nl"


def test_the_sample_posts_title_is_its_first_line_after_the_navigation(sample_digest):
    assert sample_digest.title == (
        "Hoe ik als kinesist mijn eigen rugpijn aanpakte: Praktische tips uit eigen ervaring"
    )


def test_the_sample_post_keeps_its_declared_five_minutes(sample_digest):
    assert sample_digest.reading_time == 5


def test_the_sample_posts_highlights_are_its_seven_tips(sample_digest):
    assert sample_digest.highlights == SAMPLE_HIGHLIGHTS


def test_the_sample_summary_is_two_or_three_sentences_of_15_to_90_words(sample_digest):
    sentences = split_sentences(sample_digest.summary, "nl")
    assert 2 <= len(sentences) <= 3
    assert 15 <= len(sample_digest.summary.split()) <= 90


def test_the_sample_summary_and_keywords_hold_no_references_captions_or_bylines(sample_digest):
    texts = [sample_digest.summary.lower(), *(k.lower() for k in sample_digest.keywords)]
    for text in texts:
        assert not NOT_ARTICLE.search(text), text


def test_the_sample_word_count_excludes_the_references(sample_digest, sample_post):
    assert 1500 < sample_digest.word_count < len(sample_post.body.split()) - 300


def test_the_sample_publication_date_comes_from_its_belgian_date_line(sample_digest):
    assert sample_digest.published == datetime(2024, 9, 11, tzinfo=UTC)


def test_the_sample_gets_hashtags_from_its_keywords(sample_digest):
    assert 1 <= len(sample_digest.hashtags) <= 5
    assert all(tag.startswith("#") and tag[1:].isalnum() for tag in sample_digest.hashtags)


def test_an_english_markdown_post_is_digested_without_its_references():
    digest = build_digest(
        post_from_file("sleep-after-injury.md", url="https://example.org/blog/sleep-better/")
    )
    assert digest.language == "en"
    assert digest.title == "How to sleep better after a running injury"
    assert digest.highlights[0] == "Keep a fixed routine"
    assert len(digest.highlights) == 4
    assert "doi" not in digest.summary.lower()
    assert digest.slug == "sleep-better"
    assert digest.url == "https://example.org/blog/sleep-better/"


def test_a_french_html_page_drops_scripts_navigation_symptoms_and_sources():
    digest = build_digest(post_from_file("mal-de-dos-bureau.html", image="/img/dos.jpg"))
    assert digest.language == "fr"
    assert digest.title == "Mal de dos au bureau : nos conseils de kinésithérapeute"
    assert digest.reading_time == 4
    assert digest.published == datetime(2024, 3, 12, tzinfo=UTC)
    assert digest.highlights == (
        "Bougez toutes les heures",
        "Réglez votre écran à hauteur des yeux",
        "Restez actif le week-end, par exemple avec la marche ou la natation",
        "Consultez un kinésithérapeute si la douleur dure plus de six semaines",
    )
    assert digest.image == "/img/dos.jpg"
    for unwanted in ("cookies", "nope", "Hartvigsen", "Retour", "Marie Dubois", "colonne"):
        assert unwanted not in digest.summary


def test_an_english_text_post_reads_its_declared_time_byline_and_date():
    digest = build_digest(post_from_file("shin-splints.txt"))
    assert digest.language == "en"
    assert digest.title == "Shin splints: what they are and how to get rid of them"
    assert digest.reading_time == 3
    assert digest.published == datetime(2024, 3, 12, tzinfo=UTC)
    assert digest.highlights == (
        "Reduce your weekly distance",
        "Run on soft surfaces",
        "Strengthen your calves with slow heel raises every other day",
        "Check your shoes",
    )
    assert "Tom Peeters" not in digest.summary


def test_a_post_whose_only_list_is_symptoms_has_no_highlights():
    digest = build_digest(post_from_file("hernia-symptomen.md"))
    assert digest.language == "nl"
    assert digest.highlights == ()


def test_numbered_subheadings_are_the_highlights_of_an_exercise_post():
    digest = build_digest(post_from_file("knie-oefeningen.html"))
    assert digest.highlights == ("Squat tegen de muur", "Stap op een trede", "Brug")


def test_a_declared_title_and_reading_time_from_the_source_win():
    post = post_from_file("shin-splints.txt", title="Shin splints", declared_reading_time=7)
    digest = build_digest(post)
    assert digest.title == "Shin splints"
    assert digest.reading_time == 7


def test_without_a_declared_time_the_reading_time_is_estimated():
    body = "# Walking\n\n" + "Walking every day keeps the back supple and strong. " * 120
    digest = build_digest(Post(guid="walk", title="", body=body, body_format="markdown"))
    assert digest.word_count == 1080
    assert digest.reading_time == 5  # 1,080 words at 238 words per minute


@pytest.mark.parametrize(
    ("body", "body_format"),
    [
        ("", "text"),
        ("Terug naar blog\n\nLeestijd: 5 min\n\n11/09/24", "text"),
        ("<html><body><nav>Home</nav><script>x()</script></body></html>", "html"),
    ],
)
def test_a_body_without_article_text_is_a_user_error_that_says_what_to_do(body, body_format):
    post = Post(guid="empty", title="", body=body, body_format=body_format, source_ref="empty.txt")
    with pytest.raises(UserError) as raised:
        build_digest(post)
    assert "no article text found in empty.txt" in raised.value.message
    assert raised.value.hint


HOSTILE_PARAGRAPH = (
    "<p>Bewegen is goed voor de rug, ook als het even pijn doet. Blijf dus actief en wees "
    "geduldig, want de meeste rugklachten verdwijnen vanzelf binnen enkele weken.</p>\n"
)


def test_script_and_style_text_never_reaches_the_digest():
    body = (
        "<html><head><script>var t = 'Leestijd: 99 min'; alert('Bewegen');</script>"
        "<style>.p { content: 'Leestijd: 42 min'; }</style></head><body><h1>Rug</h1>"
        + HOSTILE_PARAGRAPH * 3
        + "<script>document.write('Blijf liggen!')</script></body></html>"
    )
    digest = build_digest(Post(guid="s", title="", body=body, body_format="html"))
    assert digest.reading_time == 1
    assert "alert" not in digest.summary and "Blijf liggen" not in digest.summary


def test_a_five_megabyte_page_gives_a_digest():
    count = 5_000_000 // len(HOSTILE_PARAGRAPH)
    body = "<html><body><h1>Rug</h1>" + HOSTILE_PARAGRAPH * count + "</body></html>"
    digest = build_digest(Post(guid="big", title="", body=body, body_format="html"))
    assert digest.title == "Rug"
    assert digest.language == "nl"
    assert digest.word_count == 27 * count
    assert 15 <= len(digest.summary.split()) <= 90


def test_a_page_nested_ten_thousand_levels_deep_gives_a_digest():
    body = "<div>" * 10_000 + "<h1>Rug</h1>" + HOSTILE_PARAGRAPH * 2 + "</div>" * 10_000
    digest = build_digest(Post(guid="deep", title="", body=body, body_format="html"))
    assert digest.title == "Rug"
    assert digest.word_count == 54


def test_front_matter_tags_come_first_in_the_hashtags():
    post = post_from_file(
        "sleep-after-injury.md", title="Sleep after injury", tags=("Sport injuries", "sleep")
    )
    digest = build_digest(post)
    assert digest.hashtags[:2] == ("#SportInjuries", "#Sleep")
    assert len(digest.hashtags) == len({tag.lower() for tag in digest.hashtags}) <= 5


def test_a_short_feed_entry_fragment_keeps_the_feeds_title_and_language():
    fragment = (
        "<p>Na een enkelverstuiking wil je zo snel mogelijk weer sporten. Toch is rust in de "
        "eerste dagen belangrijk. Daarna bouw je de belasting stap voor stap weer op.</p>"
    )
    post = Post(
        guid="https://kine.example.be/?p=42",
        title="Enkelverstuiking: wanneer weer sporten?",
        body=fragment,
        body_format="html",
        url="https://kine.example.be/blog/enkelverstuiking/",
        language="nl-BE",
    )
    digest = build_digest(post)
    assert digest.title == "Enkelverstuiking: wanneer weer sporten?"
    assert digest.language == "nl"
    assert digest.slug == "enkelverstuiking"
    assert digest.summary.startswith("Na een enkelverstuiking")
    assert digest.highlights == ()
    assert digest.reading_time == 1


def test_a_french_text_post_reads_its_bullets_byline_date_and_bibliography():
    digest = build_digest(post_from_file("entorse-cheville.txt"))
    assert digest.language == "fr"
    assert digest.title == "Entorse de la cheville : quand reprendre le sport ?"
    assert digest.reading_time == 3
    assert digest.published == datetime(2024, 2, 5, tzinfo=UTC)
    assert digest.highlights == (
        "Bougez la cheville dès que la douleur le permet, p. ex. en dessinant l'alphabet avec "
        "le pied",
        "Renforcez les muscles du mollet avec des montées sur la pointe des pieds",
        "Travaillez l'équilibre sur une jambe, d'abord les yeux ouverts, puis fermés",
        "Reprenez la course progressivement, sur un terrain plat",
    )
    assert "Doherty" not in digest.summary and "Sophie" not in digest.summary


def test_an_english_feed_fragment_with_only_a_causes_list_has_no_highlights():
    post = post_from_file("posture-myths.html", title="Three myths about posture")
    digest = build_digest(post)
    assert digest.language == "en"
    assert digest.highlights == ()
    assert "Sitting for hours" not in digest.summary
