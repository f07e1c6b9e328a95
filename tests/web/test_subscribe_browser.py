"""The subscriber pages work in a real browser (Debian chromium driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser import launch_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch_chromium()


def test_a_subscriber_unsubscribes_with_the_button_and_can_undo_it(site, browser):
    subscriber = site.add_subscriber("klik@example.be")
    page = browser.new_page(viewport={"width": 375, "height": 700})
    page.goto(site.link("unsubscribe", subscriber))
    page.get_by_role("button", name="Uitschrijven").click()
    assert page.get_by_role("status").inner_text().startswith("klik@example.be ontvangt geen")
    assert site.subscriber(subscriber).status == "unsubscribed"
    page.get_by_role("button", name="Opnieuw inschrijven").click()
    page.get_by_role("heading", name="Welkom terug").wait_for()
    assert site.subscriber(subscriber).status == "confirmed"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_subscriber_chooses_the_weekly_digest_in_french(site, browser):
    subscriber = site.add_subscriber("semaine@example.be")
    page = browser.new_page(viewport={"width": 800, "height": 700})
    page.goto(site.link("preferences", subscriber))
    page.get_by_label("Hoe vaak").select_option("weekly")
    page.get_by_label("Taal").select_option("fr")
    page.get_by_role("button", name="Bewaren").click()
    assert page.get_by_role("status").inner_text() == "Vos préférences sont enregistrées."
    row = site.subscriber(subscriber)
    assert (row.language, row.frequency) == ("fr", "weekly")
