"""Snippets: per-platform threads from a digest, each text within the platform's own limit."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from distributor.model import Digest
from distributor.render.counting import grapheme_bounds, normalise, protected_spans
from distributor.render.snippets import (
    PLATFORMS,
    build_snippets,
    campaign_slug,
    hook_text,
    platform_rules,
    webhook_snippet,
)

URL = "https://www.kine-praktijk.be/blog/rugpijn-hernia-kinesist"
TIPS = (
    "Geen paniek: een zenuw is een gevoelige structuur en geeft vaak meer pijn af dan er "
    "feitelijk schade is.",
    "Blijf bewegen waar mogelijk. Pas je activiteiten aan rondom de klacht. Je hoeft niet per se "
    "te focussen op buik- en rugspieren. Focus vooral op activiteiten die voor jou haalbaar zijn "
    "en op algemene fysieke fitheid en algemene kracht, en bouw dat rustig en geduldig op.",
    "Wees geduldig en vertrouw erop dat je lichaam zichzelf kan genezen.",
)


def digest(**changes: object) -> Digest:
    values: dict[str, object] = {
        "title": "Hoe ik als kinesist mijn eigen rugpijn aanpakte: praktische tips uit eigen "
        "ervaring",
        "language": "nl",
        "summary": "Zes jaar kinesist en toch jarenlang rugpijn. Elias vertelt hoe hij zijn "
        "hernia aanpakte met bewegen, geduld en slaap, en wat de wetenschap zegt over "
        "radiculaire pijn. Een operatie is zelden nodig.",
        "reading_time": 5,
        "word_count": 1400,
        "highlights": TIPS,
        "keywords": ("rugpijn", "hernia"),
        "hashtags": ("#rugpijn", "#hernia", "#kinesitherapie", "#ischias", "#gezondheid"),
        "image": "https://www.kine-praktijk.be/img/rug.jpg",
        "url": URL,
        "published": None,
        "slug": "rugpijn-hernia-kinesist",
    }
    values.update(changes)
    return Digest(**values)  # type: ignore[arg-type]


def test_every_platform_gets_a_first_post_with_its_own_utm_tagged_link():
    snippets = build_snippets(digest(), URL)
    assert list(snippets) == list(PLATFORMS)
    for platform, snippet in snippets.items():
        query = parse_qs(urlsplit(snippet.link).query)
        assert snippet.link.startswith(URL + "?")
        assert query == {
            "utm_source": [platform],
            "utm_medium": ["social"],
            "utm_campaign": ["rugpijn-hernia-kinesist"],
        }
        assert snippet.link in snippet.texts[0]
        assert snippet.language == "nl"


def test_every_text_is_within_the_platforms_limit_as_the_platform_counts():
    rules = platform_rules()
    for platform, snippet in build_snippets(digest(), URL).items():
        assert all(rules[platform].fits(text) for text in snippet.texts), platform


def test_the_x_thread_numbers_each_highlight_as_a_reply():
    x = build_snippets(digest(), URL)["x"]
    assert len(x.texts) == 4
    assert [text.split(" ")[0] for text in x.texts[1:]] == ["1/3", "2/3", "3/3"]
    assert x.texts[1] == "1/3 " + TIPS[0]


def test_the_x_hook_is_cut_at_a_sentence_with_an_ellipsis_and_keeps_two_hashtags():
    first = build_snippets(digest(), URL)["x"].texts[0]
    assert first.startswith(digest().title + "\n\nZes jaar kinesist en toch jarenlang rugpijn…")
    assert first.endswith("#rugpijn #hernia")


def test_mastodon_fits_the_whole_summary_and_more_hashtags():
    first = build_snippets(digest(), URL)["mastodon"].texts[0]
    assert digest().summary in first
    assert first.endswith("#rugpijn #hernia #kinesitherapie #ischias")


def test_a_smaller_mastodon_instance_limit_is_respected():
    rules = {"mastodon": platform_rules(mastodon_max_chars=150)["mastodon"]}
    snippet = build_snippets(digest(), URL, rules)["mastodon"]
    assert all(rules["mastodon"].fits(text) for text in snippet.texts)
    assert snippet.link in snippet.texts[0]


def test_linkedin_is_one_post_with_the_highlights_as_a_numbered_list():
    linkedin = build_snippets(digest(), URL)["linkedin"]
    assert len(linkedin.texts) == 1
    assert "\n1. Geen paniek" in linkedin.texts[0] and "\n3. Wees geduldig" in linkedin.texts[0]


def test_hashtags_give_way_before_the_hook_is_cut_further():
    many = digest(hashtags=tuple(f"#onderwerp{n}" for n in range(30)))
    first = build_snippets(many, URL)["x"].texts[0]
    assert first.count("#onderwerp") <= 2 and "Zes jaar kinesist" in first


def test_the_campaign_name_is_a_plain_ascii_slug():
    assert campaign_slug("Hoe ik als kinésist: mijn rugpijn!") == "hoe-ik-als-kinesist-mijn-rugpijn"
    assert campaign_slug("腰痛") == "post"


def test_the_webhook_snippet_carries_the_digest_and_every_highlight():
    snippet = webhook_snippet(digest(), URL)
    assert snippet.texts[1:] == TIPS
    assert "utm_source=webhook" in snippet.link and snippet.description == digest().summary


SCRIPTS = st.sampled_from(
    [
        "Rugpijn is vervelend. ",
        "腰痛は辛いです。",
        "Боль в спине. ",
        "ألم الظهر مزعج. ",
        "허리 통증. ",
        "ปวดหลังมาก ",
        "💪🏽 ",
        "👨‍👩‍👧‍👦",
        "🇧🇪",
        "e\u0301 ",
        "#rugpijn ",
        "https://x.be/tips?a=1 ",
        "\n\n",
    ]
)
WORDS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
PIECES = st.lists(st.one_of(SCRIPTS, WORDS), max_size=60).map("".join)
TAGS = st.lists(st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=30))


@settings(max_examples=40, deadline=None)
@given(PIECES, PIECES, st.lists(PIECES, max_size=6), TAGS)
def test_any_digest_in_any_script_gives_texts_within_every_limit_never_splitting_units(
    title, summary, highlights, tags
):
    d = digest(title=title, summary=summary, highlights=tuple(highlights), hashtags=tuple(tags))
    rules = platform_rules()
    for platform, snippet in build_snippets(d, URL).items():
        for text in snippet.texts:
            assert rules[platform].fits(text), (platform, text)
        assert snippet.link in snippet.texts[0]
        if rules[platform].threads:
            head, _, _ = snippet.texts[0].partition(snippet.link)
            if head.strip():
                assert_clean_cut(hook_text(d), head.rstrip("\n"))
        sources = [normalise(tip).strip() for tip in highlights if tip.strip()]
        if len(snippet.texts) - 1 == len(sources):
            for reply, source in zip(snippet.texts[1:], sources, strict=True):
                assert_clean_cut(source, reply.split(" ", 1)[1])


def assert_clean_cut(source: str, result: str) -> None:
    """`result` is `source`, or a prefix of it cut at an allowed place, plus "…"."""
    if result == source:
        return
    assert result.endswith("…")
    head = result[:-1].rstrip(" ")
    if not source.startswith(head):
        head += "."  # a final full stop gave way to the ellipsis
    assert source.startswith(head)
    assert len(head) in set(grapheme_bounds(source))
    assert not any(start < len(head) < end for start, end in protected_spans(source))
