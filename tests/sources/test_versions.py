"""Versions of a post: the same post is not new, a real edit is, a typo fix is not."""

from __future__ import annotations

from dataclasses import dataclass

from distributor.model import Post
from distributor.sources.versions import (
    compare,
    content_hash,
    is_substantial_edit,
    normalised_text,
)

BODY = " ".join(f"<p>Zin {i} over rugpijn en hernia bij de kinesist.</p>" for i in range(40))


@dataclass(frozen=True)
class Remembered:
    id: int
    guid: str
    url: str | None
    content_hash: str
    seen_text: str


def post(guid: str = "g1", body: str = BODY, url: str | None = "https://b.example/1") -> Post:
    return Post(guid=guid, title="Rugpijn", body=body, body_format="html", url=url)


def remember(p: Post, post_id: int = 1) -> Remembered:
    text = normalised_text(p)
    return Remembered(post_id, p.guid, p.url, content_hash(text), text)


def texts_of(known: list[Remembered]):
    return lambda ids: {k.id: k.seen_text for k in known if k.id in ids}


def verdicts(posts: list[Post], known: list[Remembered]) -> list[str]:
    return [c.verdict for c in compare(posts, known, texts_of(known))]


def test_markup_spacing_and_case_do_not_change_the_hash():
    plain = post(body="Rugpijn? Beweeg  &amp; rust.")
    styled = post(body="<p><b>rugpijn?</b>\n beweeg & <em>rust</em>.</p>")
    assert content_hash(normalised_text(plain)) == content_hash(normalised_text(styled))


def test_an_unknown_post_is_new_and_a_known_one_unchanged():
    assert verdicts([post()], []) == ["new"]
    assert verdicts([post()], [remember(post())]) == ["unchanged"]


def test_a_typo_fix_is_touched_not_edited():
    fixed = post(body=BODY.replace("Zin 3 over", "Zin 3 rond", 1))
    assert verdicts([fixed], [remember(post())]) == ["touched"]


def test_a_rewritten_section_is_an_edit():
    rewritten = post(body=BODY + "<p>" + "Nieuwe oefeningen voor thuis. " * 30 + "</p>")
    assert verdicts([rewritten], [remember(post())]) == ["edited"]
    assert is_substantial_edit("a b c d", "a b x y")


def test_a_paragraph_added_to_a_long_post_is_an_edit():
    long_body = BODY * 3  # ~1,200 words: a new paragraph is under 5% of them
    paragraph = "<p>" + " ".join(f"nieuw{i}" for i in range(35)) + "</p>"
    assert verdicts([post(body=long_body + paragraph)], [remember(post(body=long_body))]) == [
        "edited"
    ]
    one_line = "<p>Update: ook op zaterdag open.</p>"
    assert verdicts([post(body=long_body + one_line)], [remember(post(body=long_body))]) == [
        "touched"
    ]


def test_a_feed_that_changes_guids_does_not_make_old_posts_new():
    known = [remember(post("urn:1"))]
    assert verdicts([post("urn:2")], known) == ["unchanged"]
    assert verdicts([post("urn:3", url=None)], known) == ["unchanged"]
    edited = post("urn:4", body=BODY + "<p>" + "Meer uitleg. " * 80 + "</p>")
    result = compare([edited], known, texts_of(known))
    assert [(c.verdict, c.known.id if c.known else None) for c in result] == [("edited", 1)]


def test_entries_sharing_one_link_are_not_matched_by_it():
    known = [remember(post("a", body="Eerste bericht"))]
    second = post("b", body="Een heel ander bericht over knieën")
    third = post("c", body="Nog een ander bericht over schouders")
    assert verdicts([second, third], known) == ["new", "new"]


def test_duplicate_guids_in_one_feed_count_once_in_guid_order():
    result = compare([post("b"), post("a"), post("b", body="other")], [], texts_of([]))
    assert [c.post.guid for c in result] == ["a", "b"]
    assert result[1].post.body == BODY


def test_remembered_texts_are_read_only_for_posts_whose_hash_changed():
    known = [remember(post("a"), 1), remember(post("b", url="https://b.example/2"), 2)]
    asked: list[list[int]] = []

    def texts(ids: list[int]) -> dict[int, str]:
        asked.append(list(ids))
        return texts_of(known)(ids)

    changed = post("b", body=BODY + "<p>" + "Extra. " * 90 + "</p>", url="https://b.example/2")
    compare([post("a"), changed], known, texts)
    compare([post("a")], known, texts)
    assert asked == [[2]]
