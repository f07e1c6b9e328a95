"""The one post link: the post's own URL, else the site URL and its slug; tagged per channel."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from distributor.render.links import post_url, tagged_post_link


def test_a_post_with_a_web_url_links_to_it():
    assert post_url("https://kine.be/blog/knie", "knie", "https://kine.be") == (
        "https://kine.be/blog/knie"
    )


def test_a_post_without_a_web_url_links_to_the_site_and_its_slug():
    assert post_url(None, "knie-pijn", "https://kine.be/") == "https://kine.be/knie-pijn"
    assert post_url("posts/knie.md", "knie", "https://kine.be") == "https://kine.be/knie"
    assert post_url(None, "", "https://kine.be") == "https://kine.be/post"


def test_the_link_is_tagged_with_the_channels_own_name():
    link = tagged_post_link(
        "https://kine.be/knie?id=3", campaign="knie", source="bluesky", medium="social"
    )
    query = parse_qs(urlsplit(link).query)
    assert query == {
        "id": ["3"],
        "utm_source": ["bluesky"],
        "utm_medium": ["social"],
        "utm_campaign": ["knie"],
    }
