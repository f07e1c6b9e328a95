"""A person joins, confirms, reads and leaves in a real browser (Debian chromium via Playwright),
with the emails going through a real SMTP server on loopback. Every page is photographed at
375 px and 1280 px into tests/artifacts/screenshots/ (kept out of git)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from distributor.pipeline.erase import is_erased
from distributor.tokens import signing_key
from tests.browser import launch_chromium
from tests.pipeline.delivery_support import add_campaign, add_post
from tests.smtpserver import SmtpServer
from tests.web.conftest import confirm_link

SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
WIDTHS = (375, 1280)

WORDS = {
    "nl": {
        "subscribe": "Inschrijven",
        "language": "Nederlands",
        "sent": "Kijk in je mailbox",
        "confirm_subject": "Bevestig je inschrijving",
        "confirm": "Mijn inschrijving bevestigen",
        "subscribed": "Je bent ingeschreven",
        "welcome_subject": "Welkom bij de nieuwsbrief van Kine Test",
        "preferences": "Je voorkeuren voor de nieuwsbrief",
        "how_often": "Hoe vaak",
        "save": "Bewaren",
        "saved": "Je voorkeuren zijn bewaard.",
        "download": "Mijn gegevens downloaden",
        "erase": "Mijn gegevens wissen",
        "erase_yes": "Ja, wis mijn gegevens",
        "erased": "Je gegevens zijn gewist",
    },
    "fr": {
        "subscribe": "S'inscrire",
        "language": "Français",
        "sent": "Consultez votre boîte mail",
        "confirm_subject": "Confirmez votre inscription",
        "confirm": "Confirmer mon inscription",
        "subscribed": "Vous êtes inscrit·e",
        "welcome_subject": "Bienvenue dans la newsletter de Kine Test",
        "preferences": "Vos préférences pour la newsletter",
        "how_often": "Fréquence",
        "save": "Enregistrer",
        "saved": "Vos préférences sont enregistrées.",
        "download": "Télécharger mes données",
        "erase": "Effacer mes données",
        "erase_yes": "Oui, effacer mes données",
        "erased": "Vos données sont effacées",
    },
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch_chromium()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def shoot(page: Page, name: str) -> None:
    """Photograph the page at each width; it never scrolls sideways on a phone."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.set_viewport_size({"width": 1280, "height": 900})


def next_email(smtp: SmtpServer, count: int) -> EmailMessage:
    """The `count`-th email the SMTP server accepted, waiting for it to arrive."""
    deadline = time.monotonic() + 20
    while len(smtp.handler.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(smtp.handler.received) >= count, "the email did not arrive"
    raw = smtp.handler.received[count - 1].data
    return message_from_bytes(raw, policy=policy.default)


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_patient_joins_confirms_chooses_downloads_and_erases(
    make_site, smtp, browser, language, tmp_path
):
    site = make_site(
        email_channel="smtp",
        allow_http_public_url=True,  # the site runs on loopback
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        from_email="nieuwsbrief@kine.example",
        practice_address="Kerkstraat 1, 9000 Gent",
    )
    add_campaign(site.sessions, add_post(site.sessions), ["email"], state="sent")
    words = WORDS[language]
    address = f"patient-{language}@example.be"
    prefix = f"{language}-{site.settings.database_url.split(':')[0]}"
    context = browser.new_context(locale=f"{language}-BE", accept_downloads=True)
    page = context.new_page()

    page.goto(f"{site.url}/subscribe")
    shoot(page, f"{prefix}-1-signup")
    page.get_by_label("E-mailadres" if language == "nl" else "Adresse e-mail").fill(address)
    page.locator("#name").fill("Sam Janssens")
    page.locator("#language").select_option(label=words["language"])
    page.locator("#consent").check()
    page.get_by_role("button", name=words["subscribe"]).click()
    page.get_by_role("heading", name=words["sent"]).wait_for()
    shoot(page, f"{prefix}-2-sent")
    row = site.subscriber_by_email(address)
    assert (row.status, row.language, row.consent_language) == ("pending", language, language)

    confirmation = next_email(smtp, 1)
    assert confirmation["Subject"].startswith(words["confirm_subject"])
    assert confirmation["To"] == address
    page.goto(confirm_link(confirmation))
    shoot(page, f"{prefix}-3-confirm")
    assert site.subscriber_by_email(address).status == "pending"  # opening the link is not enough
    page.get_by_role("button", name=words["confirm"]).click()
    page.get_by_role("heading", name=words["subscribed"]).wait_for()
    shoot(page, f"{prefix}-4-confirmed")
    row = site.subscriber_by_email(address)
    assert row.status == "confirmed" and row.confirmed_ip == "127.0.0.1"

    welcome = next_email(smtp, 2)
    assert welcome["Subject"] == words["welcome_subject"]
    assert "Rugpijn door een hernia" in welcome.get_body(("html",)).get_content()
    mail = context.new_page()
    for number, message in (("a", confirmation), ("b", welcome)):
        mail.set_content(message.get_body(("html",)).get_content())
        shoot(mail, f"{prefix}-email-{number}")
    mail.close()

    page.get_by_role("link", name=words["preferences"]).click()
    page.get_by_role("heading", name=words["preferences"]).wait_for()
    shoot(page, f"{prefix}-5-preferences")
    page.get_by_label(words["how_often"]).select_option("weekly")
    page.get_by_role("button", name=words["save"]).click()
    assert page.get_by_role("status").inner_text() == words["saved"]
    assert site.subscriber_by_email(address).frequency == "weekly"

    with page.expect_download() as download:
        page.get_by_role("link", name=words["download"]).click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == address
    assert data["consent"]["text_language"] == language

    page.get_by_role("link", name=words["erase"]).click()
    shoot(page, f"{prefix}-6-erase")
    assert site.subscriber_by_email(address) is not None  # the step only asks
    page.get_by_role("button", name=words["erase_yes"]).click()
    page.get_by_role("heading", name=words["erased"]).wait_for()
    shoot(page, f"{prefix}-7-erased")
    assert site.subscriber_by_email(address) is None
    with site.sessions() as session:
        assert is_erased(session, signing_key(site.settings), address)

    page.goto(f"{site.url}/subscribe/embed")
    shoot(page, f"{prefix}-8-embed")
    page.goto(f"{site.url}/archive")
    shoot(page, f"{prefix}-9-archive")
    page.get_by_role("link", name="Rugpijn door een hernia: wat helpt?").click()
    page.get_by_role("heading", name="Rugpijn door een hernia: wat helpt?").wait_for()
    shoot(page, f"{prefix}-10-newsletter")
    context.close()
