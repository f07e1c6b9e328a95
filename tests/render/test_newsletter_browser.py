"""The newsletter HTML in a real browser (Debian chromium): phone and desktop widths."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from distributor.render.newsletter import filled_bodies, recipient_values
from tests.browser import launch_chromium
from tests.newsletter_samples import READER, compiled_sample, links_for, sample_digest

WIDTHS = (375, 800)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch_chromium()


@pytest.fixture(scope="module")
def newsletter_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The personalised HTML, with a long unbreakable word to tempt horizontal scrolling."""
    compiled = compiled_sample(
        highlights=(*sample_digest().highlights[:3], "Lumbosacraleradiculopathieoefeningen" * 2)
    )
    html, _ = filled_bodies(compiled, recipient_values(compiled, READER, **links_for(1)))
    path = tmp_path_factory.mktemp("browser") / "newsletter.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def page(request: pytest.FixtureRequest, browser: Browser, newsletter_file: Path):
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    page.route("http*://**/*", lambda route: route.fulfill(status=204))  # no network here
    page.goto(newsletter_file.as_uri())
    yield page
    context.close()


def test_there_is_no_horizontal_scroll(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_every_image_has_alt_text(page):
    alts = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.getAttribute('alt'))")
    assert len(alts) == 2
    assert all(alt and alt.strip() for alt in alts)


def test_the_tips_block_and_the_unsubscribe_link_are_visible(page):
    tips = page.locator("#tips")
    assert tips.is_visible()
    assert tips.locator("li").count() == 4
    unsubscribe = page.locator("a#unsubscribe")
    unsubscribe.scroll_into_view_if_needed()
    assert unsubscribe.is_visible()
    assert unsubscribe.inner_text() == "Uitschrijven"
    box = unsubscribe.bounding_box()
    width = page.viewport_size["width"]
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_the_button_to_the_post_fits_the_screen(page):
    button = page.get_by_role("link", name="Lees verder")
    box = button.bounding_box()
    assert button.is_visible() and box["x"] + box["width"] <= page.viewport_size["width"]
