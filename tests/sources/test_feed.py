"""parse_feed and is_excerpt: RSS/Atom bytes -> Posts, and which entries are only a summary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from distributor.errors import UserError
from distributor.model import Post
from distributor.sources.feed import FeedError, is_excerpt, parse_feed

FEED_URL = "https://kine.example.be/feed/"
FULL_TEXT = " ".join(["Blijf bewegen en bouw de belasting rustig op, ook als het pijn doet."] * 12)

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Kinepraktijk Zuidpark &amp; Co</title>
  <link>https://kine.example.be/</link>
  <language>nl-BE</language>
  <item>
    <title>Rugpijn &amp; hernia: wat nu?</title>
    <link>/blog/rugpijn</link>
    <guid isPermaLink="false">kine-post-42</guid>
    <pubDate>Wed, 11 Sep 2024 08:00:00 +0200</pubDate>
    <dc:creator>Elias</dc:creator>
    <category>rugpijn</category><category>hernia</category><category>rugpijn</category>
    <description>Een korte samenvatting […]</description>
    <content:encoded><![CDATA[<h2>Tips</h2><ol><li>Geen paniek.</li></ol>
      <p>{FULL_TEXT}</p>]]></content:encoded>
    <media:content url="https://cdn.example.be/rug.jpg" medium="image" />
  </item>
  <item>
    <title>Nieuwe openingsuren</title>
    <link>https://kine.example.be/blog/openingsuren</link>
    <description>Vanaf mei zijn we langer open.
      &lt;a href="/blog/openingsuren"&gt;Lees meer&lt;/a&gt;</description>
    <enclosure url="https://cdn.example.be/praktijk.jpg" type="image/jpeg" length="1000" />
  </item>
</channel>
</rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Cabinet de kin\xc3\xa9</title>
  <link href="https://kine.example.be/fr/" rel="alternate"/>
  <id>urn:uuid:feed</id>
  <updated>2024-10-01T10:00:00Z</updated>
  <entry>
    <title type="html">Mal de dos &lt;em&gt;au jardin&lt;/em&gt;</title>
    <link href="https://kine.example.be/fr/blog/dos" rel="alternate"/>
    <id>urn:uuid:entry-1</id>
    <updated>2024-10-01T10:00:00+02:00</updated>
    <author><name>Camille</name></author>
    <content type="html">&lt;p&gt;Restez actif.&lt;/p&gt;&lt;img src="/img/dos.jpg"&gt;</content>
  </entry>
</feed>"""


def test_feed_title_and_link_are_read():
    parsed = parse_feed(RSS, FEED_URL)
    assert parsed.title == "Kinepraktijk Zuidpark & Co"
    assert parsed.link == "https://kine.example.be/"
    assert len(parsed.entries) == 2


def test_an_rss_item_becomes_a_post_with_its_guid_link_date_author_and_tags():
    post = parse_feed(RSS, FEED_URL).entries[0]
    assert post.guid == "kine-post-42"
    assert post.url == "https://kine.example.be/blog/rugpijn"
    assert post.title == "Rugpijn & hernia: wat nu?"
    assert post.published == datetime(2024, 9, 11, 6, 0, tzinfo=UTC)
    assert post.author == "Elias"
    assert post.tags == ("rugpijn", "hernia")
    assert post.language == "nl"
    assert post.source_ref == FEED_URL


def test_the_full_content_is_preferred_over_the_summary():
    post = parse_feed(RSS, FEED_URL).entries[0]
    assert post.body_format == "html"
    assert "<ol><li>Geen paniek.</li></ol>" in post.body
    assert "samenvatting" not in post.body


def test_an_item_without_content_keeps_its_summary():
    post = parse_feed(RSS, FEED_URL).entries[1]
    assert "Vanaf mei zijn we langer open." in post.body
    assert post.guid == "https://kine.example.be/blog/openingsuren"  # no guid: the link


def test_lead_images_come_from_media_content_or_an_image_enclosure():
    first, second = parse_feed(RSS, FEED_URL).entries
    assert first.image == "https://cdn.example.be/rug.jpg"
    assert second.image == "https://cdn.example.be/praktijk.jpg"


def test_an_atom_entry_becomes_a_post():
    parsed = parse_feed(ATOM, "https://kine.example.be/fr/feed.atom")
    assert parsed.title == "Cabinet de kiné"
    post = parsed.entries[0]
    assert post.guid == "urn:uuid:entry-1"
    assert post.title == "Mal de dos au jardin"
    assert post.published == datetime(2024, 10, 1, 8, 0, tzinfo=UTC)
    assert post.author == "Camille"
    assert "Restez actif." in post.body
    assert post.image == "https://kine.example.be/img/dos.jpg"
    assert post.language == "fr"


def test_a_broken_feed_that_still_yields_entries_is_accepted():
    broken = RSS.replace(b"</channel>\n</rss>", b"")
    parsed = parse_feed(broken, FEED_URL)
    assert parsed.entries[0].guid == "kine-post-42"


def test_a_valid_feed_without_entries_has_none():
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Stil</title></channel></rss>'
    parsed = parse_feed(empty, FEED_URL)
    assert parsed.entries == ()
    assert parsed.title == "Stil"


def test_an_html_page_is_not_a_feed():
    html = b"<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Hi</p></body></html>"
    with pytest.raises(FeedError) as caught:
        parse_feed(html, FEED_URL)
    assert isinstance(caught.value, UserError)
    assert "is a web page, not an RSS or Atom feed" in caught.value.message
    assert "feed" in caught.value.hint


@pytest.mark.parametrize("content", [b"this is not xml <<<", b"", b"<rss><channel"])
def test_invalid_xml_is_a_clear_feed_error(content):
    with pytest.raises(FeedError, match="not a valid RSS or Atom feed"):
        parse_feed(content, FEED_URL)


def entry(body: str, url: str | None = "https://kine.example.be/blog/x") -> Post:
    return Post(guid="g", title="t", body=body, body_format="html", url=url)


def test_a_summary_ending_in_an_ellipsis_is_an_excerpt():
    assert is_excerpt(entry(f"<p>{FULL_TEXT} En dan nog dit […]</p>"))
    assert is_excerpt(entry(f"<p>{FULL_TEXT} En dan…</p>"))


def test_a_read_more_link_marks_an_excerpt():
    assert is_excerpt(entry(f'<p>{FULL_TEXT}</p><p><a href="/x">Read more</a></p>'))
    assert is_excerpt(entry(f'<p>{FULL_TEXT}</p><a href="/x">Lire la suite »</a>'))


def test_a_short_entry_is_an_excerpt_and_a_full_post_is_not():
    assert is_excerpt(entry("<p>Vanaf mei zijn we langer open.</p>"))
    assert not is_excerpt(parse_feed(RSS, FEED_URL).entries[0])


def test_the_wordpress_appeared_first_trailer_does_not_hide_an_excerpt():
    body = (
        f"<p>{FULL_TEXT} […]</p><p>The post <a href='/x'>Knie</a> appeared first on "
        "<a href='/'>Kinepraktijk</a>.</p>"
    )
    assert is_excerpt(entry(body))


def test_an_entry_without_a_link_is_never_an_excerpt():
    assert not is_excerpt(entry("<p>Kort […]</p>", url=None))


def test_the_feeds_own_encoding_declaration_is_honoured():
    latin = (
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Kiné</title>'
        "<item><title>Epaule gelée: que faire?</title><link>https://kine.example.be/fr/epaule</link>"
        "<description>Une épaule raide après l'été.</description></item></channel></rss>"
    ).encode("iso-8859-1")
    parsed = parse_feed(latin, FEED_URL)
    assert parsed.title == "Kiné"
    assert parsed.entries[0].body == "Une épaule raide après l'été."


JSON_FEED = b"""{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Kinepraktijk Zuidpark",
  "home_page_url": "https://kine.example.be/",
  "language": "nl-BE",
  "items": [
    {"id": "42", "url": "/blog/knie", "title": "Kniepijn bij het lopen",
     "content_html": "<ol><li>Verlaag je volume.</li></ol>",
     "date_published": "2024-09-11T08:00:00+02:00", "tags": ["knie", "lopen"],
     "image": "/img/knie.jpg", "authors": [{"name": "Sofie"}]},
    {"id": "43", "url": "https://kine.example.be/blog/uren", "content_text": "Langer open."}
  ]
}"""


def test_a_json_feed_becomes_posts_too():
    parsed = parse_feed(JSON_FEED, FEED_URL)
    assert parsed.title == "Kinepraktijk Zuidpark"
    assert parsed.link == "https://kine.example.be/"
    first, second = parsed.entries
    assert first.guid == "42"
    assert first.url == "https://kine.example.be/blog/knie"
    assert first.body == "<ol><li>Verlaag je volume.</li></ol>"
    assert first.body_format == "html"
    assert first.published == datetime(2024, 9, 11, 6, 0, tzinfo=UTC)
    assert first.tags == ("knie", "lopen")
    assert first.image == "https://kine.example.be/img/knie.jpg"
    assert first.author == "Sofie"
    assert first.language == "nl"
    assert (second.body, second.body_format, second.title) == ("Langer open.", "text", "")


@pytest.mark.parametrize("content", [b'{"version": "1", "items": []}', b"{not json"])
def test_json_that_is_not_a_json_feed_is_a_feed_error(content):
    with pytest.raises(FeedError, match="JSON"):
        parse_feed(content, FEED_URL)
