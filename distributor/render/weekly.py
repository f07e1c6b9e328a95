"""The weekly digest's composition (pure): the week's posts become one Digest listing them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from distributor.model import Digest
from distributor.render.i18n import supported_locale, translations


def weekly_digest(
    posts: Sequence[dict[str, Any]], language: str, site_url: str, week_end: datetime
) -> Digest:
    """One Digest listing the week's posts (each a stored digest with "title" and "url")."""
    locale = supported_locale(language, default="en")
    gettext = translations(locale, "delivery").gettext
    titles = [post.get("title") or "" for post in posts]
    if len(posts) == 1:
        title = gettext("This week on the blog: %(title)s") % {"title": titles[0]}
    else:
        title = gettext("This week on the blog: %(count)d new posts") % {"count": len(posts)}
    links = [post.get("url") or site_url for post in posts]
    return Digest(
        title=title,
        language=locale,
        summary=gettext("What appeared this week") + ": " + " · ".join(titles),
        reading_time=sum(int(post.get("reading_time") or 1) for post in posts),
        word_count=sum(int(post.get("word_count") or 0) for post in posts),
        highlights=tuple(f"{t} {link}" for t, link in zip(titles, links, strict=True)),
        keywords=(),
        hashtags=(),
        image=next((post.get("image") for post in posts if post.get("image")), None),
        url=site_url,
        published=week_end,
        slug=f"week-{week_end:%Y-%m-%d}",
    )
