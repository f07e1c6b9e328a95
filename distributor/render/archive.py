"""The public newsletter archive (pure): each sent newsletter's address, its page's sharing tags,
and the RSS feed of the archive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape
from xml.etree import ElementTree

from distributor.render.snippets import campaign_slug


@dataclass(frozen=True)
class ArchiveEntry:
    """One sent newsletter as the archive lists it (nothing about any recipient)."""

    campaign_id: int
    title: str
    summary: str
    language: str
    sent_at: datetime
    image: str | None
    slug_source: str

    @property
    def path(self) -> str:
        """Its address under the web app: /archive/{campaign_id}-{slug}."""
        return archive_path(self.campaign_id, self.slug_source)


def archive_path(campaign_id: int | str, slug_source: str) -> str:
    """The archive address of a campaign: /archive/{campaign_id}-{slug of its post}."""
    return f"/archive/{campaign_id}-{campaign_slug(slug_source)}"


def sharing_tags(entry: ArchiveEntry, url: str, site_name: str) -> str:
    """Open Graph and canonical tags, so a shared archive link previews well."""
    description = " ".join(entry.summary.split())[:300]
    tags = [
        ("og:type", "article"),
        ("og:site_name", site_name),
        ("og:title", entry.title),
        ("og:description", description),
        ("og:url", url),
        ("og:locale", {"nl": "nl_BE", "fr": "fr_BE"}.get(entry.language, "en_GB")),
    ]
    if entry.image:
        tags.append(("og:image", entry.image))
    lines = [f'<meta property="{name}" content="{escape(value)}">' for name, value in tags]
    lines.append(f'<meta name="description" content="{escape(description)}">')
    lines.append('<meta name="twitter:card" content="summary_large_image">')
    lines.append(f'<link rel="canonical" href="{escape(url)}">')
    return "\n".join(lines)


def with_sharing_tags(html: str, tags: str) -> str:
    """The newsletter HTML with the sharing tags at the start of its <head>."""
    head = html.find("<head>")
    if head < 0:
        return f"<head>{tags}</head>{html}"
    position = head + len("<head>")
    return f"{html[:position]}\n{tags}\n{html[position:]}"


def rss_feed(entries: list[ArchiveEntry], *, public_url: str, title: str, language: str) -> bytes:
    """The archive as an RSS 2.0 feed, newest first."""
    base = public_url.rstrip("/")
    rss = ElementTree.Element("rss", version="2.0")
    channel = ElementTree.SubElement(rss, "channel")
    for name, value in (
        ("title", title),
        ("link", f"{base}/archive"),
        ("description", title),
        ("language", language),
    ):
        ElementTree.SubElement(channel, name).text = value
    for entry in entries:
        item = ElementTree.SubElement(channel, "item")
        link = f"{base}{entry.path}"
        ElementTree.SubElement(item, "title").text = entry.title
        ElementTree.SubElement(item, "link").text = link
        ElementTree.SubElement(item, "guid", isPermaLink="true").text = link
        ElementTree.SubElement(item, "description").text = entry.summary
        ElementTree.SubElement(item, "pubDate").text = format_datetime(entry.sent_at)
    return ElementTree.tostring(rss, encoding="utf-8", xml_declaration=True)
