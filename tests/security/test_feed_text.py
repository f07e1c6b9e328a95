"""Low items on reading sources: YAML alias bombs, one invalid UTF-8 byte, duplicate GUIDs, and
terminal escapes or bidi overrides in titles (stripped before a terminal, a Subject or a post)."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from distributor.errors import UserError
from distributor.model import Digest
from distributor.pipeline.poll.gather import SourceRef, read_source
from distributor.pipeline.poll.polling import poll_source
from distributor.render.newsletter import PracticeInfo, compile_newsletter
from distributor.render.snippets import build_snippet, platform_rules
from distributor.sources.files import read_post_file
from distributor.store import queries
from tests.httpserver import Reply
from tests.pipeline.delivery_support import DIGEST
from tests.pipeline.poll_support import Entry, entry, rss

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FEED_TYPE = {"Content-Type": "application/rss+xml"}


def test_front_matter_with_aliases_is_refused_at_once(tmp_path):
    layers = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        layers.append(
            f"{chr(97 + level)}: &{chr(97 + level)} [" + f"*{chr(96 + level)}, " * 9 + "]"
        )
    post = tmp_path / "bom.md"
    post.write_text("---\ntitle: Bom\n" + "\n".join(layers) + "\n---\nTekst.\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"aliases \(\*name\) are not allowed in front matter"):
        read_post_file(post)


def test_one_invalid_utf8_byte_spoils_only_itself(site, client):
    feed = rss([Entry("urn:1", "Één oefening per dag, café-stijl", "<p>Rug en knie.</p>")])
    broken = feed.replace(b"Rug en", b"Rug\xff en")
    url = site.serve("/feed", Reply(200, broken, FEED_TYPE))
    [post] = read_source(SourceRef(1, "feed", url), client).posts
    assert post.title == "Één oefening per dag, café-stijl"
    assert "Rug\ufffd en knie." in post.body


def test_different_posts_sharing_a_guid_are_all_kept_and_the_source_warned(session, site, client):
    first, second = entry(1), entry(2)
    second.guid = first.guid
    url = site.serve("/feed", Reply(200, rss([first, second]), FEED_TYPE))
    source = queries.add_source(session, kind="feed", target=url, now=NOW)
    session.commit()
    result = poll_source(session, source.id, client=client, now=NOW, backfill=2)
    assert len(result.new) == 2
    guids = {post.guid for post in queries.list_posts(session, source.id)}
    links = {first.link, second.link}
    assert "urn:post:1" in guids
    assert any(guid.split("#")[0] in links for guid in guids - {"urn:post:1"})
    warning = queries.get_source(session, source.id).warning
    assert "2 different posts share the GUID 'urn:post:1'" in warning


def test_escapes_and_bidi_overrides_never_reach_a_subject_or_a_social_post(site, client):
    hostile = "Rug\x1b]0;owned\x07pijn \u202eetats\u202c \x1b[2Jhernia"
    feed = rss([Entry("urn:1", hostile, "<p>Tekst.</p>")])
    url = site.serve("/feed", Reply(200, feed, FEED_TYPE))
    [post] = read_source(SourceRef(1, "feed", url), client).posts
    assert post.title == "Rugpijn etats hernia"
    stored_earlier = Digest.from_json(DIGEST | {"title": hostile})  # recorded before the fix
    practice = PracticeInfo(name="Praktijk", from_email="nieuws@praktijk.example")
    compiled = compile_newsletter(stored_earlier, locale="nl", practice=practice, campaign_id=1)
    assert compiled.subject == "Rugpijn etats hernia"
    parsed = message_from_bytes(
        compiled.template.fill(
            {name: "x" for name in compiled.template.slot_names}
            | {"to": "a@example.org", "message_id": "<m@example.org>", "date": "Tue, 1 Dec 2026"}
        ),
        policy=policy.default,
    )
    assert parsed["Subject"] == "Rugpijn etats hernia"
    snippet = build_snippet(stored_earlier, "https://praktijk.example/b", platform_rules()["x"])
    assert all("\x1b" not in text and "\u202e" not in text for text in snippet.texts)


def test_a_deeply_nested_json_feed_is_a_one_line_source_error(session, site, client):
    nested = b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100_000
    url = site.serve("/feed.json", Reply(200, nested + b"]" * 100_000 + b"}", {}))
    source = queries.add_source(session, kind="feed", target=url, now=NOW)
    session.commit()
    result = poll_source(session, source.id, client=client, now=NOW)
    assert result.error == (
        f"{url} is not a valid JSON Feed: nested too deeply to read "
        "Check the address in a feed reader or browser."
    )
