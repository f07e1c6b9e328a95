"""Sample values for the newsletter tests: a digest of the practice's real post, the practice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from distributor.model import Digest, Message, Recipient
from distributor.render.newsletter import (
    CompiledNewsletter,
    PracticeInfo,
    compile_newsletter,
    personalise,
)

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
PUBLIC_URL = "https://nieuws.praktijk.example"

DIGEST = Digest(
    title="Hoe ik als kinesist mijn eigen rugpijn aanpakte: praktische tips uit eigen ervaring",
    language="nl",
    summary=(
        "Elias werkt al zes jaar als kinesist en worstelde zelf jarenlang met rugpijn en een "
        "hernia. Hij vertelt hoe hij zijn pijn volledig kwijtraakte.\n\n"
        "Geen wondermiddel, wel een plan: begrijpen wat er gebeurt, blijven bewegen en de "
        "belasting stap voor stap opbouwen."
    ),
    reading_time=5,
    word_count=1180,
    highlights=(
        "Begrijp je pijn: een geïrriteerde zenuw doet vaak meer pijn dan de schade groot is.",
        "Blijf bewegen binnen wat haalbaar is; bedrust vertraagt het herstel.",
        "Bouw je belasting geleidelijk op, met een schema dat bij jou past.",
        "Laat je begeleiden door een kinesist wanneer de pijn niet afneemt.",
    ),
    keywords=("rugpijn", "hernia", "kinesist"),
    hashtags=("#rugpijn",),
    image="https://praktijk.example/media/rugpijn.jpg",
    url="https://praktijk.example/blog/rugpijn-hernia-kinesist",
    published=datetime(2026, 11, 3, 8, 0, tzinfo=UTC),
    slug="rugpijn-hernia-kinesist",
)

PRACTICE = PracticeInfo(
    name="Kinesitherapie Willems",
    from_email="nieuwsbrief@praktijk.example",
    address="Kerkstraat 12, 8500 Kortrijk",
    logo="https://praktijk.example/media/logo.png",
    reply_to="info@praktijk.example",
    site_url="https://praktijk.example",
    public_url=PUBLIC_URL,
    note="Dit is algemeen advies, geen diagnose.",
)

READER = Recipient(email="ann.peeters@example.org", name="Ann Peeters", language="nl")


def sample_digest(**changes: Any) -> Digest:
    """The sample digest with some fields changed."""
    return replace(DIGEST, **changes)


def sample_practice(**changes: Any) -> PracticeInfo:
    """The sample practice with some fields changed."""
    return replace(PRACTICE, **changes)


def compiled_sample(locale: str = "nl", **digest_changes: Any) -> CompiledNewsletter:
    """The sample newsletter compiled for campaign 7."""
    return compile_newsletter(
        sample_digest(**digest_changes), locale=locale, practice=PRACTICE, campaign_id=7
    )


def links_for(subscriber: int) -> dict[str, str]:
    """Per-recipient unsubscribe and preferences URLs (tokens stand in for signed ones)."""
    return {
        "unsubscribe_url": f"{PUBLIC_URL}/u/tok-{subscriber}",
        "preferences_url": f"{PUBLIC_URL}/p/tok-{subscriber}",
    }


def sample_message(
    compiled: CompiledNewsletter, recipient: Recipient = READER, number: int = 1, **extra: Any
) -> Message:
    """One personalised message of the sample campaign."""
    return personalise(
        compiled,
        recipient,
        **links_for(number),
        message_id=f"<d{number}-c7@praktijk.example>",
        now=NOW,
        key=f"d{number}-c7",
        **extra,
    )
