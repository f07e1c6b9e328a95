"""The link to a post, computed in one place: its own URL, else the site URL plus its slug.

Every place that shows the link (preview, email, social posts, webhook) starts from
`post_url` and tags it with `tagged_post_link`, whose utm_source is the channel's own name.
"""

from __future__ import annotations

from distributor.render.utm import tag_link

WEB_SCHEMES = ("http://", "https://")


def post_url(url: str | None, slug: str, site_url: str) -> str:
    """The post's public link: its own web URL, else `site_url`/`slug` ("post" without one)."""
    if url and url.startswith(WEB_SCHEMES):
        return url
    return f"{site_url.rstrip('/')}/{slug or 'post'}"


def tagged_post_link(url: str, *, campaign: str, source: str, medium: str) -> str:
    """The post's link with the UTM tags of one channel (utm_source is the channel's name)."""
    return tag_link(url, campaign=campaign, source=source, medium=medium)
