"""Platform counting: X per the official twitter-text v3 conformance cases, Mastodon, Bluesky,
LinkedIn little text; and cutting that never splits a grapheme, URL or hashtag (properties)."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from twitter_text import parse_tweet

from distributor.render.counting import (
    bluesky_facets,
    escape_little_text,
    grapheme_bounds,
    grapheme_count,
    linkedin_commentary,
    mastodon_length,
    normalise,
    protected_spans,
    x_length,
)
from distributor.render.fitting import ELLIPSIS, fit

ZWJ = "\u200d"
FAMILY = "👨" + ZWJ + "👩" + ZWJ + "👧" + ZWJ + "👦"
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
KANA = "あいうえおかきくけこ"

# twitter-text conformance/validate.yml, section WeightedTweetsWithDiscountedEmojiCounterTest
# (the v3 rules), transcribed: (description, text, expected weightedLength).
X_CONFORMANCE = [
    ("Regular Tweet with url", "Hi http://test.co", 26),
    ("Just url", "http://test.co", 23),
    ("Long tweet, overflow at char index 280", "285 chars-" + "xxxxxxxxxx-" * 25, 285),
    (
        "Long tweet with url in the middle",
        "285 chars- http://www.twitter.com/jack " + "xxxxxxxxxx-" * 24,
        299,
    ),
    ("Long tweet with url at the end", "xxxxxxxxxx-" * 24 + " http://www.twitter.com/jack ", 289),
    ("10 url string, no overflow", "https://www.twitter.com/aloha " * 10, 240),
    ("160 emoji char", "😷" * 160, 320),
    (
        "282 chars with a normalized character",
        "282 chars-" + "xxxxxxxxxx-" * 24 + "xxxxx\u0041\u0301x",
        281,
    ),
    ("'Á' is normalized into 1 char", "A\u0301B", 2),
    ("שּׁ is normalized into 3 chars", "A\u05e9\u05bc\u05c1", 4),
    ("Mix of single byte single word, and double word unicode characters", "H🐱☺" + FAMILY, 7),
    ("Unicode emoji chars inside the basic multilingual plane", "😷👾😡🔥💩", 10),
    ("Emoji outside the BMP with skin tone modifiers", "🙋🏽👨" + ZWJ + "🎤", 4),
    (
        "General punctuation with visible spaces, no ZWJ/ZWNJ",
        "This is a tweet with general punctuation characters: "
        "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b"
        " ‐ ‑ ‒ – — ― ‖  ‗ ‘ ’ ‚ ‛ “ ” „ ‟ ′ ″ ‴ ‵ ‶ ‷",
        110,
    ),
    (
        "A 64 character domain without protocol",
        "randomurlrandomurlrandomurlrandomurlrandomurlrandomurlrandomurls.com",
        68,
    ),
    (
        "> 140 CJK, punycode host over 63 characters",
        KANA * 12 + " http://" + KANA * 5 + "あいう.com",
        358,
    ),
    (
        "> 140 CJK, punycode host under 63 characters",
        KANA * 12 + " http://" + KANA * 5 + "あい.com",
        264,
    ),
    ("140 family emoji", FAMILY * 140, 280),
    ("Emoji with a leading character in the latin range is counted as 2", "1\u20e3", 2),
    ("Unicode 10.0 emoji", "Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; " + ENGLAND, 34),
    ("Unicode 9.0 emoji", "Unicode 9.0 emoji: 🤠; 💃; 💃🏾", 29),
]


def test_x_weighted_length_passes_the_official_twitter_text_v3_conformance_cases():
    failures = [(d, x_length(t), n) for d, t, n in X_CONFORMANCE if x_length(t) != n]
    assert failures == []


def test_x_counts_cjk_twice_latin_once_and_every_url_as_23():
    assert x_length("rugpijn") == 7
    assert x_length("腰痛") == 4
    assert x_length("lees https://praktijk.be/blog/een-heel-lange-link?utm_source=x") == 28


def test_mastodon_counts_urls_as_23_and_remote_mentions_as_the_local_part():
    url = "https://praktijk.example/blog/een-heel-lange-link-over-rugpijn?utm_source=mastodon"
    assert mastodon_length(f"Lees {url}") == 5 + 23
    assert mastodon_length("dank @elias@kine.social!") == len("dank @elias!")


def test_bluesky_counts_graphemes_not_code_points():
    assert grapheme_count(FAMILY + "e\u0301" + ENGLAND) == 3


def test_bluesky_facets_use_utf8_byte_offsets():
    text = "Rugpijn 💪 lees https://x.be/a #kiné"
    link, tag = (
        {
            "index": {"byteStart": 18, "byteEnd": 32},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://x.be/a"}],
        },
        {
            "index": {"byteStart": 33, "byteEnd": 39},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "kiné"}],
        },
    )
    assert bluesky_facets(text) == [link, tag]
    assert text.encode()[18:32] == b"https://x.be/a" and text.encode()[33:39].decode() == "#kiné"


def test_linkedin_little_text_escapes_every_reserved_character():
    reserved = "\\ | { } @ [ ] ( ) < > # * _ ~"
    escaped = escape_little_text(reserved)
    assert escaped == "\\\\ \\| \\{ \\} \\@ \\[ \\] \\( \\) \\< \\> \\# \\* \\_ \\~"


def test_linkedin_hashtags_become_hashtag_markup_and_urls_stay_whole():
    assert linkedin_commentary("Tips #rugpijn: https://x.be/a_b#deel") == (
        "Tips {hashtag|\\#|rugpijn}: https://x.be/a\\_b\\#deel"
    )


def test_a_long_text_is_cut_at_a_sentence_end_with_an_ellipsis():
    text = "Blijf bewegen. Pas je activiteiten aan rondom de klacht en focus op kracht."
    assert fit(text, lambda t: len(t) <= 25) == "Blijf bewegen…"


def test_without_a_sentence_end_nearby_the_cut_falls_between_words():
    text = "Blijf bewegen waar mogelijk en pas je activiteiten aan rondom de klacht"
    assert fit(text, lambda t: len(t) <= 30) == "Blijf bewegen waar mogelijk…"


def test_a_url_that_does_not_fit_is_left_out_whole_never_cut():
    text = "Lees https://praktijk.example/blog/rugpijn-hernia-kinesist verder"
    assert fit(text, lambda t: len(t) <= 40) == "Lees…"


# Properties: any script, emoji sequences, URLs and hashtags mixed at random.
WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")),
    min_size=1,
    max_size=14,
)
SPECIAL = st.sampled_from(
    [
        FAMILY,
        ENGLAND,
        "🙋🏽",
        "e\u0301",
        "🇧🇪",
        "https://praktijk.example/blog/rugpijn?x=1",
        "#rugpijn",
        "#腰痛",
        "@elias@kine.social",
        "。",
        ". ",
        "\n",
        "腰痛腰痛腰痛",
        "ภาษาไทย",
    ]
)
TEXTS = st.lists(st.one_of(WORDS, SPECIAL, st.just(" ")), min_size=10, max_size=150).map("".join)
COUNTERS = [(x_length, 280), (mastodon_length, 500), (grapheme_count, 300), (len, 120)]


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.sampled_from(COUNTERS), st.integers(min_value=5, max_value=60))
def test_a_cut_fits_and_never_splits_a_grapheme_url_or_hashtag(raw, counter, budget):
    count, limit = counter
    limit = min(limit, budget * 4)
    source = normalise(raw).strip()
    result = fit(source, lambda t: count(t) <= limit)
    assert result == "" or count(result) <= limit
    if result in ("", source):
        return
    assert result.endswith(ELLIPSIS)
    head = result[: -len(ELLIPSIS)].rstrip(" ")
    if not source.startswith(head):
        head += "."  # a final full stop gave way to the ellipsis
    assert source.startswith(head)
    end = len(head)
    assert end in set(grapheme_bounds(source))
    assert not any(start < end < stop for start, stop in protected_spans(source))


def test_the_ellipsis_replaces_a_final_full_stop():
    assert fit("Een zin. Twee drie vier vijf zes.", lambda t: len(t) <= 12) == "Een zin…"


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_the_fast_x_count_agrees_with_twitter_text_on_any_text(text):
    assert x_length(text) == parse_tweet(text).weightedLength


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_linkedin_commentary_reads_back_as_the_original_text(text):
    commentary = linkedin_commentary(text)
    shown = regex.sub(r"\{hashtag\|\\#\|([^{}|]+)\}", r"#\1", commentary)
    shown = regex.sub(r"\\(.)", r"\1", shown, flags=regex.DOTALL)
    assert shown == text
