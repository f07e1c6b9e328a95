"""Settings become the practice the newsletter shows, read once at the edge."""

from __future__ import annotations

from pathlib import Path

import pytest

from distributor.config import Settings
from distributor.newsletter_settings import practice_from_settings


def test_the_practice_comes_from_the_distributor_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("DISTRIBUTOR_PRACTICE_NAME", "Kinesitherapie Willems")
    monkeypatch.setenv("DISTRIBUTOR_PRACTICE_ADDRESS", "Kerkstraat 12, 8500 Kortrijk")
    monkeypatch.setenv("DISTRIBUTOR_FROM_EMAIL", "nieuwsbrief@praktijk.example")
    monkeypatch.setenv("DISTRIBUTOR_REPLY_TO", "info@praktijk.example")
    monkeypatch.setenv("DISTRIBUTOR_NEWSLETTER_NOTE", "Algemeen advies, geen diagnose.")
    monkeypatch.setenv("DISTRIBUTOR_PUBLIC_URL", "https://nieuws.praktijk.example")
    practice = practice_from_settings(Settings(data_dir=tmp_path))
    assert practice.name == "Kinesitherapie Willems"
    assert practice.address == "Kerkstraat 12, 8500 Kortrijk"
    assert practice.from_email == "nieuwsbrief@praktijk.example"
    assert practice.reply_to == "info@praktijk.example"
    assert practice.note == "Algemeen advies, geen diagnose."
    assert practice.public_url == "https://nieuws.praktijk.example"
