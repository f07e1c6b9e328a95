"""Fixtures for the social channels: each fake API on loopback and Settings pointing at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from distributor.config import Settings
from distributor.model import Snippet
from tests.channels import fake_apis
from tests.channels.fakes import FakeServer

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def fixed_now() -> datetime:
    return NOW


def live_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Live-mode settings with every service's credentials (the fakes' own)."""
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "social_channel": "live",
        "x_consumer_key": fake_apis.X_KEYS["ck"],
        "x_consumer_secret": fake_apis.X_KEYS["cs"],
        "x_access_token": fake_apis.X_KEYS["at"],
        "x_access_token_secret": fake_apis.X_KEYS["as"],
        "mastodon_token": fake_apis.MASTODON_TOKEN,
        "bluesky_handle": fake_apis.BLUESKY_HANDLE,
        "bluesky_app_password": fake_apis.BLUESKY_PASSWORD,
        "linkedin_token": fake_apis.LINKEDIN_TOKEN,
        "linkedin_author": fake_apis.LINKEDIN_AUTHOR,
        "webhook_secret": fake_apis.WEBHOOK_SECRET,
    }
    values.update(overrides)
    return Settings(**values)


def url_settings(name: str, server: FakeServer) -> dict[str, str]:
    """The Settings field(s) that point channel `name` at `server`."""
    return {
        "x": {"x_api_url": server.url},
        "mastodon": {"mastodon_url": server.url},
        "bluesky": {"bluesky_url": server.url},
        "linkedin": {"linkedin_url": server.url},
        "webhook": {"webhook_url": server.url + "/hooks/distributor"},
    }[name]


FAKES = {
    "x": fake_apis.fake_x,
    "mastodon": fake_apis.fake_mastodon,
    "bluesky": fake_apis.fake_bluesky,
    "linkedin": fake_apis.fake_linkedin,
    "webhook": fake_apis.fake_webhook,
}


def make_snippet(platform: str, texts: tuple[str, ...] | None = None, **extra: object) -> Snippet:
    """A small Dutch snippet as the renderer would make it."""
    link = f"https://praktijk.example/blog/rugpijn?utm_source={platform}&utm_medium=social"
    values: dict[str, object] = {
        "platform": platform,
        "texts": texts
        or (
            f"Hoe ik mijn rugpijn aanpakte #rugpijn\n\n{link}",
            "1/2 Geen paniek: een zenuw geeft vaak meer pijn dan er schade is.",
            "2/2 Blijf bewegen waar mogelijk.",
        ),
        "link": link,
        "language": "nl",
        "title": "Hoe ik mijn rugpijn aanpakte",
        "description": "Praktische tips uit eigen ervaring.",
        "key": f"campaign-7-{platform}",
    }
    values.update(extra)
    return Snippet(**values)  # type: ignore[arg-type]


@pytest.fixture
def start_fake() -> Iterator[Callable[[str], FakeServer]]:
    """Start the fake API of a channel by name; stopped after the test."""
    started: list[FakeServer] = []

    def start(name: str) -> FakeServer:
        started.append(FAKES[name]())
        return started[-1]

    yield start
    for server in started:
        server.stop()


def fake_server(name: str) -> Iterator[FakeServer]:
    server = FAKES[name]()
    yield server
    server.stop()


@pytest.fixture
def x_api() -> Iterator[FakeServer]:
    yield from fake_server("x")


@pytest.fixture
def mastodon_api() -> Iterator[FakeServer]:
    yield from fake_server("mastodon")


@pytest.fixture
def bluesky_api() -> Iterator[FakeServer]:
    yield from fake_server("bluesky")


@pytest.fixture
def linkedin_api() -> Iterator[FakeServer]:
    yield from fake_server("linkedin")


@pytest.fixture
def webhook_api() -> Iterator[FakeServer]:
    yield from fake_server("webhook")
