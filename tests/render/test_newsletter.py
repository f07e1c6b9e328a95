"""The newsletter: compiled once per campaign and locale, personalised per recipient."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import distributor.render.newsletter as newsletter
from distributor.model import Recipient
from distributor.render.newsletter import (
    compile_newsletter,
    decoded_body,
    filled_bodies,
    message_id_for,
    personalise,
)
from distributor.render.newsletter_templates import candidate_directories, templates_directory
from tests.newsletter_samples import (
    NOW,
    PRACTICE,
    READER,
    compiled_sample,
    links_for,
    sample_digest,
    sample_message,
    sample_practice,
)


@pytest.fixture(scope="module")
def compiled():
    return compiled_sample()


def parsed(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def html_of(raw: bytes) -> str:
    return decoded_body(parsed(raw).get_body(("html",)))


def text_of(raw: bytes) -> str:
    return decoded_body(parsed(raw).get_body(("plain",)))


def test_the_email_shows_practice_title_image_summary_reading_time_tips_and_button(compiled):
    html = html_of(sample_message(compiled).raw)
    page = lxml.html.fromstring(html)
    assert page.xpath("//img[@alt='Logo van Kinesitherapie Willems']")
    assert page.xpath("//h1")[0].text_content().startswith("Hoe ik als kinesist")
    lead = page.xpath("//img[@src='https://praktijk.example/media/rugpijn.jpg']")[0]
    assert lead.get("alt") == sample_digest().title
    assert "Elias werkt al zes jaar als kinesist" in html
    assert "Leestijd: 5 min" in page.text_content()
    tips = page.xpath("//*[@id='tips']//li")
    assert [li.text_content() for li in tips] == list(sample_digest().highlights)
    button = page.xpath("//a[contains(., 'Lees verder')]")[0]
    assert button.get("href").startswith("https://praktijk.example/blog/rugpijn-hernia-kinesist?")
    footer = page.xpath("//*[contains(@class, 'footer')]")[0].text_content()
    assert "Kerkstraat 12, 8500 Kortrijk" in footer
    assert "ingeschreven op de nieuwsbrief van Kinesitherapie Willems" in footer
    assert "Dit is algemeen advies, geen diagnose." in page.text_content()


def test_the_text_part_says_the_same_in_plain_words(compiled):
    text = text_of(sample_message(compiled).raw)
    assert "Dag Ann," in text
    assert "Leestijd: 5 min" in text
    assert "1. Begrijp je pijn" in text and "4. Laat je begeleiden" in text
    assert "Lees verder:\nhttps://praktijk.example/blog/rugpijn-hernia-kinesist?utm_source" in text
    assert "Uitschrijven: https://nieuws.praktijk.example/u/tok-1\n" in text
    assert "<" not in text.replace("<script>", "")


def test_links_to_the_practices_content_carry_utm_tags_and_no_image_does(compiled):
    page = lxml.html.fromstring(html_of(sample_message(compiled).raw))
    hrefs = [a.get("href") for a in page.xpath("//a[@href]")]
    content = [href for href in hrefs if not href.startswith("https://nieuws.praktijk.example/")]
    assert len(content) >= 3
    for href in content:
        query = parse_qs(urlsplit(href).query)
        assert query["utm_source"] == ["newsletter"], href
        assert query["utm_medium"] == ["email"], href
        assert query["utm_campaign"] == ["rugpijn-hernia-kinesist"], href
    sources = [img.get("src") for img in page.xpath("//img")]
    assert sources and not any("utm_" in src for src in sources)


def test_unsubscribe_and_preferences_links_carry_no_utm_tags(compiled):
    # Defect: the unsubscribe and preferences links were tagged as if they were the blog's.
    raw = sample_message(compiled).raw
    page = lxml.html.fromstring(html_of(raw))
    hrefs = {a.get("href") for a in page.xpath("//a[@href]")}
    own = {href for href in hrefs if href.startswith("https://nieuws.praktijk.example/")}
    assert {
        "https://nieuws.praktijk.example/u/tok-1",
        "https://nieuws.praktijk.example/p/tok-1",
    } <= own
    assert not any("utm_" in href for href in own)  # nor on the view-in-browser link
    assert "utm_" not in text_of(raw).split("Uitschrijven:")[1]


def test_the_posts_own_query_is_kept_beside_the_utm_tags():
    compiled = compiled_sample(url="https://praktijk.example/blog?id=12&utm_source=feed")
    text = text_of(sample_message(compiled).raw)
    assert "https://praktijk.example/blog?id=12&utm_source=newsletter&utm_medium=email" in text


def test_digest_text_is_escaped_so_a_script_title_stays_text():
    title = 'Rugpijn <script>alert("x")</script> & "hernia"'
    compiled = compiled_sample(title=title, highlights=("<b>vet</b> blijft tekst",))
    html = html_of(sample_message(compiled).raw)
    assert "<script>" not in html and "<b>vet" not in html
    assert "Rugpijn &lt;script&gt;alert(" in html
    page = lxml.html.fromstring(html)
    assert page.xpath("//h1")[0].text_content() == title
    assert page.xpath("//*[@id='tips']//li")[0].text_content() == "<b>vet</b> blijft tekst"
    assert parsed(sample_message(compiled).raw)["Subject"] == title


def test_a_personalised_message_has_every_header_a_bulk_sender_needs(compiled):
    message = sample_message(compiled)
    email = parsed(message.raw)
    assert (message.sender, message.to, message.key) == (
        "nieuwsbrief@praktijk.example",
        "ann.peeters@example.org",
        "d1-c7",
    )
    assert email["From"].addresses[0].display_name == "Kinesitherapie Willems"
    assert email["To"] == "Ann Peeters <ann.peeters@example.org>"
    assert email["Reply-To"] == "info@praktijk.example"
    assert email["Date"].datetime == NOW
    assert email["Message-ID"] == message.message_id == "<d1-c7@praktijk.example>"
    assert email["List-Unsubscribe"] == "<https://nieuws.praktijk.example/u/tok-1>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email["Content-Language"] == "nl"
    assert [p.get_content_type() for p in email.iter_parts()] == ["text/plain", "text/html"]


def test_a_mailto_unsubscribe_can_follow_the_one_click_url(compiled):
    message = sample_message(compiled, unsubscribe_mailto="mailto:uit@praktijk.example?subject=1")
    assert parsed(message.raw)["List-Unsubscribe"] == (
        "<https://nieuws.praktijk.example/u/tok-1>, <mailto:uit@praktijk.example?subject=1>"
    )


def test_a_reader_without_a_name_gets_a_greeting_without_one(compiled):
    message = sample_message(compiled, Recipient("x@example.org"))
    assert "Dag," in text_of(message.raw)
    assert parsed(message.raw)["To"] == "x@example.org"


def test_personalising_never_compiles_mjml_again(compiled, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("MJML compiled per recipient")

    monkeypatch.setattr(newsletter, "mjml2html", forbidden)
    for number in range(50):
        assert sample_message(compiled, number=number).raw


def test_the_note_line_appears_only_when_the_practice_configures_one():
    without = compile_newsletter(
        sample_digest(), locale="nl", practice=sample_practice(note=""), campaign_id=1
    )
    assert "geen diagnose" not in without.html and "geen diagnose" not in without.text
    assert "geen diagnose" in compiled_sample().html


def test_without_a_logo_the_practice_name_heads_the_email():
    compiled = compile_newsletter(
        sample_digest(image=None), locale="nl", practice=sample_practice(logo=None), campaign_id=1
    )
    page = lxml.html.fromstring(compiled.html)
    assert not page.xpath("//img")
    assert page.xpath("//a[normalize-space()='Kinesitherapie Willems']")


def test_a_line_break_in_a_recipient_value_cannot_inject_headers(compiled):
    with pytest.raises(ValueError, match="line break"):
        personalise(
            compiled,
            READER,
            unsubscribe_url="https://n.example/u/x\r\nBcc: victim@example.org",
            preferences_url="https://n.example/p/x",
            message_id="<m@x>",
            now=NOW,
        )


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(max_size=60),
    token=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789-_.", min_size=1, max_size=300),
)
def test_every_personalised_message_parses_back_to_the_template_with_its_values(name, token):
    compiled = compiled_sample()
    links = {
        "unsubscribe_url": f"https://n.example/u/{token}",
        "preferences_url": f"https://n.example/p/{token}",
    }
    recipient = Recipient("lezer@example.org", name)
    message = personalise(compiled, recipient, **links, message_id="<m@x>", now=NOW)
    email = parsed(message.raw)
    values = newsletter.recipient_values(compiled, recipient, **links)
    html, text = filled_bodies(compiled, values)
    assert html_of(message.raw) == html
    assert text_of(message.raw) == text
    assert email["To"].addresses[0].addr_spec == "lezer@example.org"
    assert email["To"].addresses[0].display_name == newsletter.display_name(name)
    assert email["List-Unsubscribe"] == f"<{links['unsubscribe_url']}>"
    assert all(len(line) <= 998 for line in message.raw.split(b"\r\n"))
    body = message.raw.split(b"\r\n\r\n", 1)[1]
    assert all(len(line) <= 76 for line in body.split(b"\r\n"))


def test_message_ids_are_unique_per_delivery_in_the_senders_domain():
    assert message_id_for("d12-c7", "nieuwsbrief@praktijk.example") == "<d12-c7@praktijk.example>"
    assert message_id_for("a b/c", "x") == "<a-b-c@localhost>"


def test_templates_are_found_from_the_package_and_can_be_overridden(tmp_path: Path):
    assert templates_directory() == candidate_directories()[0].resolve()
    own = tmp_path / "own"
    own.mkdir()
    (own / "newsletter.mjml.j2").write_text(
        "<mjml><mj-body><mj-section><mj-column><mj-text>Eigen {{ digest.title }} "
        "{{ greeting }} <a href='{{ unsubscribe_link }}'>x</a></mj-text>"
        "</mj-column></mj-section></mj-body></mjml>"
    )
    (own / "newsletter.txt.j2").write_text("Eigen {{ greeting }} {{ unsubscribe_link }}\n")
    compiled = compile_newsletter(
        sample_digest(), locale="nl", practice=PRACTICE, campaign_id=3, templates_dir=own
    )
    message = personalise(compiled, READER, **links_for(5), message_id="<m@x>", now=NOW)
    assert "Eigen Dag Ann," in text_of(message.raw)
    with pytest.raises(FileNotFoundError, match="newsletter templates"):
        templates_directory(tmp_path / "missing")
