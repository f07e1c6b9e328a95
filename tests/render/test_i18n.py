"""The email's fixed words and dates follow the campaign language (gettext catalogues)."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from distributor.render.i18n import (
    LOCALE_DIR,
    SUPPORTED_LOCALES,
    catalogue_path,
    long_date,
    supported_locale,
    translations,
)
from distributor.render.newsletter_templates import TEMPLATE_NAMES, templates_directory
from tests.newsletter_samples import compiled_sample, sample_message

WORDS = {
    "nl": ("Leestijd", "Lees verder", "Uitschrijven", "Tips uit dit artikel", "Dag Ann,"),
    "fr": ("Temps de lecture", "Lire la suite", "Se désabonner", "Conseils de cet article"),
    "en": ("Reading time", "Read the full article", "Unsubscribe", "Tips from this article"),
}
DATES = {"nl": "3 november 2026", "fr": "3 novembre 2026", "en": "November 3, 2026"}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_fixed_words_and_the_date_follow_the_campaign_language(locale):
    raw = sample_message(compiled_sample(locale)).raw
    email = message_from_bytes(raw, policy=policy.default)
    for part in ("html", "plain"):
        body = email.get_body((part,)).get_content()
        for word in WORDS[locale]:
            assert word in body, (locale, part, word)
        assert DATES[locale] in body
    assert email["Content-Language"] == locale


def test_french_greeting_and_footer_read_as_french():
    text = sample_message(compiled_sample("fr")).raw.decode("ascii")
    email = message_from_bytes(text.encode(), policy=policy.default)
    body = email.get_body(("plain",)).get_content()
    assert "Bonjour Ann," in body
    assert "Vous recevez cet e-mail parce que vous êtes abonné(e)" in body
    assert "Temps de lecture : 5 min" in body  # French puts a space before the colon
    assert "Se désabonner : https://nieuws.praktijk.example/u/tok-1\r\n" in body


def test_a_non_ascii_subject_is_encoded_and_reads_back():
    email = message_from_bytes(
        sample_message(compiled_sample("fr", title="Mal de dos : que faire ?")).raw,
        policy=policy.default,
    )
    assert email["Subject"] == "Mal de dos : que faire ?"
    short = sample_message(compiled_sample("fr", title="Épaule")).raw
    assert b"Subject: =?utf-8?" in short
    assert message_from_bytes(short, policy=policy.default)["Subject"] == "Épaule"


def test_every_word_in_the_templates_is_translated_in_dutch_and_french():
    folder = templates_directory()
    used = {
        message
        for name in TEMPLATE_NAMES
        for _, message, _, _ in extract_from_file(
            babel_extract, folder / name, options={"extensions": "jinja2.ext.i18n"}
        )
    }
    assert len(used) >= 10
    for locale in ("nl", "fr"):
        with catalogue_path(locale).open("rb") as po_file:
            catalogue = read_po(po_file)
        missing = [m for m in used if not (catalogue.get(m) and catalogue.get(m).string)]
        assert not missing, (locale, missing)


def test_the_catalogues_ship_inside_the_package():
    assert LOCALE_DIR.parent.name == "distributor"
    for locale in SUPPORTED_LOCALES:
        assert catalogue_path(locale).is_file()
    assert translations("nl").gettext("Unsubscribe") == "Uitschrijven"


def test_language_tags_map_to_a_supported_locale():
    assert supported_locale("nl-BE") == "nl"
    assert supported_locale("fr_BE") == "fr"
    assert supported_locale("de", default="en") == "en"
    assert supported_locale(None) == "nl"
    with pytest.raises(ValueError, match="unsupported locale"):
        translations("de")


def test_dates_are_written_the_way_each_language_writes_them():
    assert long_date(date(2026, 2, 1), "nl") == "1 februari 2026"
    assert long_date(date(2026, 2, 1), "fr") == "1 février 2026"
    assert long_date(None, "en") == ""
