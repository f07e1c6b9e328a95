"""parse_article: a web page -> the article's content (headings and lists kept) and metadata."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from distributor.errors import UserError
from distributor.sources.article import load_page as parse_page
from distributor.sources.article import meta_date, parse_article, visible_text

URL = "https://kine.example.be/blog/knie?utm_source=x"
PARAGRAPH = (
    "Veel lopers voelen pijn rond de knieschijf wanneer ze hun training te snel opbouwen. "
    "Dat is meestal onschuldig en het herstel gaat vlot als je de belasting tijdelijk aanpast. "
)


def page(article: str, head: str = "", lang: str = "nl-BE", outside: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>Kniepijn bij het lopen | Kinepraktijk</title>{head}</head><body>
<nav><a href="/">Home</a> <a href="/blog">Blog</a> <a href="/contact">Contact</a></nav>
<div class="cookie-banner">Wij gebruiken cookies. <button>Accepteren</button></div>
<main><article>{article}</article></main>{outside}
<footer>© 2024 Kinepraktijk · Privacy · Contact</footer></body></html>"""


ARTICLE = f"""<h1>Kniepijn bij het lopen</h1>
<p class="meta">Geschreven door Sofie · Leestijd: 6 min</p>
<p>{PARAGRAPH * 2}</p>
<h2>Wat kan je zelf doen?</h2>
<ol><li>Verlaag je volume tijdelijk.</li><li>Train twee keer per week kracht.</li></ol>
<h3>Wanneer langskomen?</h3>
<ul><li>Als je knie dik wordt.</li><li>Als de pijn na zes weken blijft.</li></ul>
<p>{PARAGRAPH}</p>"""

HEAD = """<meta property="og:title" content="Kniepijn bij het lopen">
<meta property="og:image" content="/img/knie.jpg">
<meta property="article:published_time" content="2024-09-11T08:00:00+02:00">
<meta name="author" content="Sofie Claeys">
<meta property="article:tag" content="knie"><meta property="article:tag" content="lopen">
<link rel="canonical" href="https://kine.example.be/blog/knie">"""


def test_headings_and_both_kinds_of_list_survive_extraction():
    post = parse_article(page(ARTICLE, HEAD), URL)
    assert post.body_format == "html"
    assert "<h2>Wat kan je zelf doen?</h2>" in post.body
    assert "<h3>Wanneer langskomen?</h3>" in post.body
    assert "<ol><li>Verlaag je volume tijdelijk.</li><li>Train twee" in post.body
    assert "<ul><li>Als je knie dik wordt.</li>" in post.body


def test_navigation_cookie_banner_and_footer_are_left_out():
    body = parse_article(page(ARTICLE, HEAD), URL).body
    assert "cookies" not in body
    assert "Privacy" not in body
    assert "Contact" not in body


def test_metadata_comes_from_the_pages_head():
    post = parse_article(page(ARTICLE, HEAD), URL)
    assert post.title == "Kniepijn bij het lopen"
    assert post.image == "https://kine.example.be/img/knie.jpg"
    assert post.published == datetime(2024, 9, 11, 6, 0, tzinfo=UTC)
    assert post.author == "Sofie Claeys"
    assert post.tags == ("knie", "lopen")
    assert post.language == "nl"


def test_the_canonical_link_is_the_posts_url_and_identity():
    post = parse_article(page(ARTICLE, HEAD), URL)
    assert post.url == "https://kine.example.be/blog/knie"
    assert post.guid == "https://kine.example.be/blog/knie"
    assert post.source_ref == URL


def test_without_a_canonical_link_the_fetched_url_is_kept():
    post = parse_article(page(ARTICLE), URL)
    assert post.url == URL
    assert post.published is None


def test_the_title_heading_is_not_repeated_in_the_body():
    post = parse_article(page(ARTICLE, HEAD), URL)
    assert "<h1>" not in post.body


def test_a_declared_reading_time_is_read_from_the_raw_page():
    meta_outside = page(f"<p>{PARAGRAPH * 3}</p>", outside="<p>Leestijd: 7 min</p>")
    assert parse_article(meta_outside, URL).declared_reading_time == 7
    assert parse_article(page(ARTICLE), URL).declared_reading_time == 6


def test_a_reading_time_inside_a_script_is_not_declared():
    head = '<script>var label = "Leestijd: 9 min";</script>'
    post = parse_article(page(f"<p>{PARAGRAPH * 3}</p>", head), URL)
    assert post.declared_reading_time is None


def test_script_and_style_never_reach_the_body():
    article = f"<p>{PARAGRAPH * 3}</p><script>alert('x')</script><style>p {{color: red}}</style>"
    head = "<script>" + "var tracking = 1;" * 20_000 + "</script>"
    body = parse_article(page(article, head), URL).body
    assert "alert" not in body
    assert "color" not in body
    assert "tracking" not in body


def test_a_page_without_an_article_is_a_user_error():
    empty = "<html><body><nav><a href='/'>Home</a></nav><footer>© 2024</footer></body></html>"
    with pytest.raises(UserError) as caught:
        parse_article(empty, URL)
    assert caught.value.message == f"no article found at {URL}"
    assert caught.value.hint


@pytest.mark.parametrize("text", ["", "   \n ", "\x00\x00"])
def test_an_empty_page_is_a_user_error(text):
    with pytest.raises(UserError, match="no article found"):
        parse_article(text, URL)


@pytest.mark.timeout(60)
def test_a_five_megabyte_page_gives_a_post():
    article = f"<h2>Deel</h2><p>{PARAGRAPH}</p>" * (5_000_000 // (len(PARAGRAPH) + 20))
    huge = page(article)
    assert len(huge) >= 5_000_000
    post = parse_article(huge, URL)
    assert "knieschijf" in post.body


@pytest.mark.timeout(60)
def test_html_nested_ten_thousand_levels_deep_still_gives_the_article():
    deep = "<div>" * 10_000 + f"<p>{PARAGRAPH * 3}</p>" + "</div>" * 10_000
    post = parse_article(page(deep), URL)
    assert "knieschijf" in post.body


@pytest.mark.timeout(60)
def test_deeply_nested_unclosed_tags_end_in_a_post_or_a_clear_error():
    hostile = "<html><body>" + "<p><b><i>" * 10_000 + PARAGRAPH * 5
    try:
        post = parse_article(hostile, URL)
    except UserError as exc:
        assert "no article found" in exc.message
    else:
        assert "knieschijf" in post.body


def test_a_wrong_charset_declaration_in_decoded_text_is_ignored():
    head = '<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">'
    post = parse_article(
        page(f"<p>{PARAGRAPH} Oefeningen voor je knieën: één per dag.</p>", head), URL
    )
    assert "Oefeningen voor je knieën: één per dag." in post.body


def test_an_xml_declaration_in_front_of_xhtml_is_accepted():
    xhtml = '<?xml version="1.0" encoding="iso-8859-1"?>\n' + page(f"<p>{PARAGRAPH * 3}</p>")
    assert "knieschijf" in parse_article(xhtml, URL).body


def test_an_author_given_as_a_profile_url_is_not_a_name():
    head = '<meta property="article:author" content="https://facebook.com/kinepraktijk">'
    post = parse_article(page(ARTICLE, head), URL)
    assert post.author is None or not post.author.startswith("http")


def test_visible_text_skips_head_and_scripts_but_keeps_tails():
    tree = parse_page(
        "<html><head><title>T</title></head><body><p>a<script>x</script>b</p></body></html>", URL
    )
    assert visible_text(tree).split() == ["a", "b"]


def test_meta_dates_become_aware_utc():
    assert meta_date("2024-09-11") == datetime(2024, 9, 11, tzinfo=UTC)
    assert meta_date("2024-09-11T10:00:00Z") == datetime(2024, 9, 11, 10, tzinfo=UTC)
    assert meta_date("2024-09-11T10:00:00+02:00") == datetime(2024, 9, 11, 8, tzinfo=UTC)
    assert meta_date("yesterday") is None
