"""The public archive: sent newsletters listed, each viewable with sharing tags and no personal
data, an RSS feed; every newsletter email links to its archive page."""

from __future__ import annotations

from email import message_from_bytes, policy
from xml.etree import ElementTree

import httpx
import lxml.html

from distributor.config import Settings
from distributor.newsletter_settings import practice_from_settings
from distributor.render.newsletter import compile_newsletter
from tests.newsletter_samples import sample_message
from tests.pipeline.delivery_support import add_campaign, add_post

TITLE = "Rugpijn door een hernia: wat helpt?"


def sent_campaign(site) -> int:
    return add_campaign(site.sessions, add_post(site.sessions), ["email"], state="sent")


def test_the_archive_lists_sent_newsletters_only(site):
    sent = sent_campaign(site)
    add_campaign(site.sessions, add_post(site.sessions), ["email"], state="draft")
    page = httpx.get(f"{site.url}/archive")
    assert page.status_code == 200
    links = lxml.html.fromstring(page.text).xpath("//ul[@class='archive-list']//a/@href")
    assert links == [f"/archive/{sent}-rugpijn-hernia"]


def test_an_archived_newsletter_has_sharing_tags_and_no_personal_data(site):
    campaign = sent_campaign(site)
    site.add_subscriber("lezer@example.be")
    page = httpx.get(f"{site.url}/archive/{campaign}-rugpijn-hernia")
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.text)
    tags = {m.get("property"): m.get("content") for m in tree.xpath("//meta[@property]")}
    assert tags["og:title"] == TITLE
    assert tags["og:url"] == f"{site.url}/archive/{campaign}-rugpijn-hernia"
    assert tags["og:description"].startswith("Een hernia geneest")
    assert "/u/" not in page.text and "/p/" not in page.text
    assert "Test" not in tree.text_content().replace("Kine Test", "")
    assert "lezer@example.be" not in page.text
    assert "script-src" not in page.headers["content-security-policy"]


def test_a_wrong_slug_redirects_and_an_unsent_campaign_is_not_found(site):
    campaign = sent_campaign(site)
    moved = httpx.get(f"{site.url}/archive/{campaign}-old-title")
    assert (moved.status_code, moved.headers["location"]) == (
        308,
        f"/archive/{campaign}-rugpijn-hernia",
    )
    draft = add_campaign(site.sessions, add_post(site.sessions), ["email"], state="draft")
    assert httpx.get(f"{site.url}/archive/{draft}-rugpijn-hernia").status_code == 404
    assert httpx.get(f"{site.url}/archive/<script>").status_code == 404


def test_the_feed_is_rss_with_one_item_per_sent_newsletter(site):
    campaign = sent_campaign(site)
    feed = httpx.get(f"{site.url}/archive/feed.xml")
    assert feed.headers["content-type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(feed.content)
    (item,) = root.findall("./channel/item")
    assert item.findtext("title") == TITLE
    assert item.findtext("link") == f"{site.url}/archive/{campaign}-rugpijn-hernia"


def test_every_newsletter_links_to_its_archive_page_and_names_the_list(tmp_path):
    from tests.newsletter_samples import sample_digest

    settings = Settings(data_dir=tmp_path, public_url="https://kine.example", practice_name="Kine")
    compiled = compile_newsletter(
        sample_digest(), locale="nl", practice=practice_from_settings(settings), campaign_id=42
    )
    message = message_from_bytes(sample_message(compiled).raw, policy=policy.default)
    assert message["List-Archive"] == "<https://kine.example/archive>"
    assert message["List-Id"].endswith(">")
    text = message.get_body(("plain",)).get_content()
    assert "Deze e-mail bekijken in je browser: https://kine.example/archive/42-" in text
    html = message.get_body(("html",)).get_content()
    assert 'href="https://kine.example/archive/42-' in html
