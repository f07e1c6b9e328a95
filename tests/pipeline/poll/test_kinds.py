"""Polling article pages and folders, and completing feed excerpts from their pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from distributor.pipeline.poll.polling import poll_source
from distributor.store import queries
from tests.pipeline.poll_support import PARAGRAPH, Entry

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='nl'><head><title>{title}</title></head><body>"
        f"<nav>Home · Blog · Contact</nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Praktijk Kine · Gent</footer></body></html>"
    )


def add(session, target: str, kind: str) -> int:
    source = queries.add_source(session, kind=kind, target=target, now=NOW)
    session.commit()
    return source.id


def test_an_article_page_is_one_post_and_a_rewrite_is_an_edit(session, blog, client):
    paragraphs = [f"{PARAGRAPH} Alinea {i}." for i in range(8)]
    url = blog.page("/blog/rugpijn", page("Rugpijn en hernia", paragraphs), etag=False)
    source_id = add(session, url, "article")
    first = poll_source(session, source_id, client=client, now=NOW)
    [post] = queries.list_posts(session, source_id)
    assert (first.error, post.state, post.title) == (None, "baseline", "Rugpijn en hernia")
    again = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=1))
    assert (again.new, again.edited, again.unchanged) == ([], [], 1)
    rewritten = [
        *paragraphs[:3],
        *(f"Nieuwe oefening {i}: til je knie rustig op." for i in range(9)),
    ]
    blog.page("/blog/rugpijn", page("Rugpijn en hernia", rewritten), etag=False)
    edited = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=2))
    assert edited.edited == [post.id]
    assert len(queries.list_posts(session, source_id)) == 1


def test_a_folder_source_sees_files_added_and_changed(session, client, tmp_path: Path):
    (tmp_path / "eerste.md").write_text("# Eerste\n\n" + PARAGRAPH * 3, encoding="utf-8")
    (tmp_path / "tweede.md").write_text("# Tweede\n\n" + PARAGRAPH * 4, encoding="utf-8")
    source_id = add(session, str(tmp_path), "folder")
    assert poll_source(session, source_id, client=client, now=NOW).error is None
    (tmp_path / "derde.md").write_text("# Derde\n\n" + "Iets heel anders. " * 20, "utf-8")
    (tmp_path / "tweede.md").write_text("# Tweede\n\n" + "Herschreven tekst. " * 40, "utf-8")
    result = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=1))
    by_file = {Path(p.guid).stem: p for p in queries.list_posts(session, source_id)}
    assert result.new == [by_file["derde"].id]
    assert result.edited == [by_file["tweede"].id]
    assert by_file["eerste"].state == "baseline"
    assert by_file["derde"].digest["title"] == "Derde"


def test_an_unreadable_file_is_reported_and_the_others_are_still_recorded(
    session, client, tmp_path: Path
):
    source_id = add(session, str(tmp_path), "folder")
    poll_source(session, source_id, client=client, now=NOW)
    (tmp_path / "goed.md").write_text("# Goed\n\n" + PARAGRAPH * 3, encoding="utf-8")
    (tmp_path / "kapot.md").write_bytes(b"\x00\x01\x02\xff" * 100)
    result = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=1))
    assert len(result.new) == 1
    assert "kapot.md" in result.error
    assert queries.get_source(session, source_id).error == result.error


def test_a_missing_folder_is_a_stored_error(session, client, tmp_path: Path):
    folder = tmp_path / "posts"
    folder.mkdir()
    source_id = add(session, str(folder), "folder")
    folder.rmdir()
    result = poll_source(session, source_id, client=client, now=NOW)
    assert "does not exist" in result.error or "no such folder" in result.error


def test_a_feed_excerpt_is_recorded_with_its_whole_article(session, blog, client):
    source_id = add(session, blog.feed("/feed", []), "feed")
    poll_source(session, source_id, client=client, now=NOW)
    paragraphs = [f"{PARAGRAPH} Volledige tekst, alinea {i}." for i in range(8)]
    article_url = blog.page("/blog/hernia", page("Hernia: wat helpt?", paragraphs))
    excerpt = Entry(
        "urn:hernia", "Hernia: wat helpt?", "Een hernia geneest vaak... Lees meer", article_url
    )
    blog.feed("/feed", [excerpt])
    result = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=1))
    [post_id] = result.new
    post = queries.get_post(session, post_id)
    assert "Volledige tekst, alinea 7" in post.body
    assert post.url == article_url
    assert post.digest["word_count"] > 100
    again = poll_source(session, source_id, client=client, now=NOW + timedelta(hours=2))
    assert (again.new, again.edited) == ([], [])
