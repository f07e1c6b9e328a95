"""The sources, poll and posts commands: their JSON contracts and exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from distributor.cli import main
from tests.pipeline.poll_support import BlogServer, Route, entry

PAGE = (
    "<!DOCTYPE html><html lang='nl'><head><title>Rugpijn en hernia</title></head><body>"
    "<article><h1>Rugpijn en hernia</h1>"
    + "".join(
        f"<p>Tip {i}: een hernia geneest meestal vanzelf. Blijf bewegen en bouw rustig op. </p>"
        for i in range(12)
    )
    + "</article></body></html>"
)


@pytest.fixture
def blog() -> Iterator[BlogServer]:
    server = BlogServer()
    yield server
    server.stop()


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """Run `distributor ARGS...` in-process on the test database: (exit code, stdout, stderr)."""
    monkeypatch.setenv("DISTRIBUTOR_DATABASE_URL", database_url)

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["distributor", *args])
        code: int | str | None = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        captured = capsys.readouterr()
        return int(code or 0), captured.out, captured.err

    return run


def run_json(cli, *args: str):
    code, out, err = cli(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_sources_add_detects_feeds_pages_and_folders(cli, blog, tmp_path: Path):
    feed = blog.feed("/feed", [entry(1)])
    page = blog.page("/rugpijn", PAGE)
    assert run_json(cli, "sources", "add", feed) == {"id": 1, "kind": "feed"}
    assert run_json(cli, "sources", "add", page) == {"id": 2, "kind": "article"}
    assert run_json(cli, "sources", "add", str(tmp_path)) == {"id": 3, "kind": "folder"}
    listed = run_json(cli, "sources", "list")
    assert [(s["id"], s["kind"], s["target"]) for s in listed] == [
        (1, "feed", feed),
        (2, "article", page),
        (3, "folder", str(tmp_path.resolve())),
    ]


def test_adding_an_article_that_announces_a_feed_suggests_the_feed(cli, blog):
    announced = PAGE.replace(
        "</head>", '<link rel="alternate" type="application/rss+xml" href="/feed/"></head>'
    )
    code, out, _ = cli("sources", "add", blog.page("/post", announced))
    assert code == 0
    assert "added source 1 (article)" in out
    assert f"announces a feed: {blog.url('/feed/')}" in out


def test_sources_add_mistakes_are_one_line_errors_with_exit_2(cli, blog, tmp_path: Path):
    code, out, err = cli("sources", "add", str(tmp_path / "missing"))
    assert (code, out) == (2, "")
    assert "no such folder" in err and "Traceback" not in err
    code, _, err = cli("sources", "add", "http://127.0.0.1:9/feed")
    assert code == 2
    assert "--kind" in err
    assert run_json(cli, "sources", "add", "http://127.0.0.1:9/feed", "--kind", "feed") == {
        "id": 1,
        "kind": "feed",
    }
    code, _, err = cli("sources", "add", "http://127.0.0.1:9/feed", "--kind", "feed")
    assert code == 2 and "already follows" in err
    code, _, err = cli("sources", "add", "x", "--kind", "podcast")
    assert code == 2


def test_poll_json_reports_new_posts_once_and_posts_list_shows_states(cli, blog):
    source = run_json(cli, "sources", "add", blog.feed("/feed", [entry(1), entry(2)]))
    first = run_json(cli, "poll")
    assert first == {
        "sources": [{"id": source["id"], "new": [], "edited": [], "unchanged": 2, "error": None}]
    }
    blog.feed("/feed", [entry(1), entry(2), entry(3)])
    second = run_json(cli, "poll")["sources"][0]
    assert len(second["new"]) == 1
    third = run_json(cli, "poll", "--source", str(source["id"]))["sources"][0]
    assert (third["new"], third["edited"], third["error"]) == ([], [], None)
    posts = run_json(cli, "posts", "list")
    assert [(p["source_id"], p["title"], p["state"]) for p in posts] == [
        (source["id"], "Oefeningen bij rugpijn, deel 1", "baseline"),
        (source["id"], "Oefeningen bij rugpijn, deel 2", "baseline"),
        (source["id"], "Oefeningen bij rugpijn, deel 3", "new"),
    ]
    assert posts[2]["id"] == second["new"][0]
    assert posts[2]["url"] == "https://praktijk.example/blog/3"
    assert set(posts[0]) == {"id", "source_id", "title", "url", "state"}


def test_poll_exits_0_when_a_source_fails_and_shows_the_error_in_sources_list(cli, blog):
    good = run_json(cli, "sources", "add", blog.feed("/feed", [entry(1)]))
    bad = run_json(cli, "sources", "add", blog.page("/broken", PAGE), "--kind", "feed")
    result = run_json(cli, "poll")["sources"]
    by_id = {r["id"]: r for r in result}
    assert by_id[good["id"]]["error"] is None
    assert by_id[bad["id"]]["error"]
    listed = {s["id"]: s for s in run_json(cli, "sources", "list")}
    assert listed[bad["id"]]["error"] == by_id[bad["id"]]["error"]
    assert listed[bad["id"]]["failures"] == 1
    code, out, _ = cli("sources", "list")
    assert code == 0 and "ok" in out


def test_poll_usage_errors_exit_2(cli):
    assert cli("poll", "--source", "42")[0] == 2
    assert cli("poll", "--backfill", "-1")[0] == 2
    assert cli("poll", "--no-such-option")[0] == 2
    assert cli("posts", "list", "--source", "7")[0] == 2


def test_backfill_from_the_command_line(cli, blog):
    run_json(cli, "sources", "add", blog.feed("/feed", [entry(1), entry(2), entry(3)]))
    result = run_json(cli, "poll", "--backfill", "1")["sources"][0]
    posts = run_json(cli, "posts", "list")
    assert [p["state"] for p in posts if p["id"] in result["new"]] == ["new"]
    assert sorted(p["state"] for p in posts) == ["baseline", "baseline", "new"]


def test_sources_check_shows_what_a_poll_would_find_and_records_nothing(cli, blog):
    source = run_json(cli, "sources", "add", blog.feed("/feed", [entry(1), entry(2)]))
    report = run_json(cli, "sources", "check", str(source["id"]))
    assert [p["verdict"] for p in report["posts"]] == ["baseline", "baseline"]
    assert run_json(cli, "posts", "list") == []
    run_json(cli, "poll")
    blog.feed("/feed", [entry(1), entry(2), entry(3)])
    report = run_json(cli, "sources", "check", str(source["id"]))
    assert sorted(p["verdict"] for p in report["posts"]) == ["new", "unchanged", "unchanged"]
    assert len(run_json(cli, "posts", "list")) == 2
    code, out, _ = cli("sources", "check", str(source["id"]))
    assert code == 0 and "deel 3" in out


def test_sources_remove_stops_polling_and_keeps_the_posts(cli, blog):
    source = run_json(cli, "sources", "add", blog.feed("/feed", [entry(1)]))
    run_json(cli, "poll")
    code, out, _ = cli("sources", "remove", str(source["id"]))
    assert code == 0 and "removed" in out
    assert run_json(cli, "sources", "list") == []
    assert run_json(cli, "poll") == {"sources": []}
    assert len(run_json(cli, "posts", "list")) == 1
    assert cli("sources", "remove", str(source["id"]))[0] == 2


def test_db_upgrade_reports_the_schema(cli):
    code, out, _ = cli("db", "upgrade")
    assert code == 0 and ("upgraded" in out or "up to date" in out)
    code, out, _ = cli("db", "upgrade")
    assert code == 0 and "already up to date" in out


def test_the_first_command_creates_the_sqlite_file_in_the_data_folder(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
):
    monkeypatch.setattr(sys, "argv", ["distributor", "sources", "list", "--json"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 0
    assert json.loads(capsys.readouterr().out) == []
    assert (data_dir / "distributor.db").exists()


def test_posts_list_shows_a_plain_text_posts_cleaned_title(cli, tmp_path, sample_post_path):
    # Defect: the sample's first line ("Terug naar blog") was listed as its title.
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / sample_post_path.name).write_text(sample_post_path.read_text())
    run_json(cli, "sources", "add", str(folder))
    run_json(cli, "poll")
    [post] = run_json(cli, "posts", "list")
    assert post["title"].startswith("Hoe ik als kinesist mijn eigen rugpijn aanpakte")


HOME = (
    "<!DOCTYPE html><html lang='nl'><head><title>Praktijk Willems</title>"
    "<link rel='alternate' type='application/rss+xml' href='/feed'></head><body>"
    + "<p><a href='/blog/1'>Rugpijn</a> · <a href='/blog/2'>Knie</a></p>" * 3
    + "</body></html>"
)


@pytest.mark.parametrize(
    ("path", "body", "content_type", "reason"),
    [
        ("/foto.jpg", b"\xff\xd8\xff\xe0 not really a photo", "image/jpeg", "but image/jpeg"),
        ("/folder.pdf", b"%PDF-1.7 not really a pdf", "application/pdf", "but application/pdf"),
        ("/", HOME.encode(), "text/html; charset=utf-8", "is a home page"),
        ("/contact", HOME.encode(), "text/html; charset=utf-8", "no article found"),
    ],
)
def test_sources_add_refuses_what_is_neither_feed_nor_article_unless_forced(
    cli, blog, path, body, content_type, reason
):
    # Defect: an image, a PDF or a home page was added as an "article" source.
    blog.routes[path] = Route(body=body, content_type=content_type)
    code, _, err = cli("sources", "add", blog.url(path))
    assert code == 2
    assert reason in err and "--force" in err
    if content_type.startswith("text/html"):
        assert f"distributor sources add {blog.url('/feed')}" in err
    assert run_json(cli, "sources", "list") == []
    assert run_json(cli, "sources", "add", blog.url(path), "--force")["kind"] == "article"


def test_the_first_polls_hint_says_how_to_send_an_existing_post(cli, blog):
    # Defect: the first poll said the posts were "baseline, not sent", and nothing more.
    run_json(cli, "sources", "add", blog.feed("/feed", [entry(1), entry(2)]))
    code, out, _ = cli("poll")
    assert code == 0 and "2 already there" in out
    assert "`distributor campaigns create --post ID`" in out
    [first, *_] = run_json(cli, "posts", "list")
    code, _, err = cli("campaigns", "create", "--post", str(first["id"]))
    assert code == 0, err
