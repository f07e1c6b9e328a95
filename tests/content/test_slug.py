import pytest

from distributor.content.slug import post_slug, slugify


@pytest.mark.parametrize(
    ("url", "title", "slug"),
    [
        ("https://praktijk.be/blog/rugpijn-hernia-kinesist/", "X", "rugpijn-hernia-kinesist"),
        ("https://praktijk.be/blog/Één-Café.html?x=1#top", "X", "een-cafe"),
        (
            "https://praktijk.be/?p=123",
            "Hoe ik mijn rugpijn aanpakte!",
            "hoe-ik-mijn-rugpijn-aanpakte",
        ),
        ("https://praktijk.be/blog/2024/", "Mal de dos : nos conseils", "mal-de-dos-nos-conseils"),
        (None, "", "post"),
    ],
)
def test_the_slug_comes_from_the_urls_last_segment_else_the_title(url, title, slug):
    assert post_slug(url, title) == slug


def test_a_slug_is_ascii_lowercase_hyphenated_and_cut_at_a_word():
    slug = slugify("Ça coûte  cher — très cher! " * 10)
    assert slug.isascii() and slug == slug.lower()
    assert len(slug) <= 80 and not slug.endswith("-")
    assert "--" not in slug
