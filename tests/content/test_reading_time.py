import pytest

from distributor.content.reading_time import (
    SILENT_WPM,
    declared_minutes,
    estimate_minutes,
)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("Leestijd: 5 min", 5),
        ("Leestijd 5 minuten", 5),
        ("Gepubliceerd op 3 maart · Leestijd: 4 min", 4),
        ("Reading time: 4 min", 4),
        ("Reading time: 12 minutes", 12),
        ("4 min read", 4),
        ("Temps de lecture : 3 min", 3),
        ("Lecture : 3 minutes", 3),
    ],
)
def test_declared_minutes_reads_the_posts_own_statement(text, minutes):
    assert declared_minutes(text) == minutes


@pytest.mark.parametrize(
    "text", ["We wandelen elke dag 5 minuten.", "Lecture du texte", "A 10 minute walk", ""]
)
def test_declared_minutes_is_none_when_the_text_states_no_reading_time(text):
    assert declared_minutes(text) is None


def test_estimate_uses_the_english_silent_rate_of_238_words_per_minute():
    assert SILENT_WPM["en"] == 238
    assert estimate_minutes(238 * 4, "en") == 4


def test_dutch_and_french_read_fewer_words_per_minute_than_english():
    assert SILENT_WPM["fr"] < SILENT_WPM["nl"] < SILENT_WPM["en"]
    assert estimate_minutes(1000, "nl") > estimate_minutes(1000, "en")


def test_estimate_is_at_least_one_minute_even_for_an_empty_post():
    assert estimate_minutes(0, "nl") == 1
    assert estimate_minutes(20, "xx") == 1
