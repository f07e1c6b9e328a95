"""The sign-up rules as plain functions: names kept, consent text versions, limits in the
database, confirmation links bound to the latest request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from distributor.config import Settings
from distributor.pipeline import consent, signup
from distributor.pipeline.signup_limits import DatabaseRateLimiter
from distributor.ratelimit import RateLimit
from distributor.signed import ExpiredSigned, InvalidSigned, sign, unsign
from distributor.signup_settings import consent_texts
from distributor.store.db import session_factory

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_a_name_keeps_its_letters_but_never_a_link_or_control_characters():
    assert signup.clean_name("  Ann\u0000 \n Peeters ") == "Ann Peeters"
    assert signup.clean_name("Élodie D'Hondt") == "Élodie D'Hondt"
    assert signup.clean_name("Win money at https://spam.example") == ""
    assert signup.clean_name("data:text/html,<b>x</b>") == ""
    assert len(signup.clean_name("x" * 10_000)) == 200


def test_the_consent_text_version_changes_with_its_words():
    default = consent.consent_text(consent_texts(Settings(practice_name="Kine Gent")), "nl", "nl")
    texts = consent_texts(Settings(consent_text_nl="Ja, stuur me de nieuwsbrief."))
    own = consent.consent_text(texts, "nl", "nl")
    assert "Kine Gent" in default.text
    assert default.version.startswith("nl-") and own.version.startswith("nl-")
    assert default.version != own.version
    assert consent.consent_text(texts, "de", "nl").language == "nl"  # the site's default


def test_signed_values_expire_and_cannot_be_forged():
    token = sign(b"key", "confirm", [1, 2], NOW)
    assert unsign(b"key", "confirm", token, NOW + timedelta(days=6), 7 * 86_400)[0] == [1, 2]
    with pytest.raises(ExpiredSigned):
        unsign(b"key", "confirm", token, NOW + timedelta(days=8), 7 * 86_400)
    with pytest.raises(InvalidSigned):
        unsign(b"other key", "confirm", token, NOW)
    with pytest.raises(InvalidSigned):
        unsign(b"key", "form", token, NOW)  # another purpose


def test_the_database_limiter_allows_the_count_then_waits_for_the_window(engine):
    clock = [NOW]
    limiter = DatabaseRateLimiter(session_factory(engine), lambda: clock[0])
    limit = RateLimit(count=2, period_s=60.0, guard_s=0.0)
    assert [limiter.try_acquire("k", limit) for _ in range(3)][:2] == [0.0, 0.0]
    assert limiter.try_acquire("k", limit) == pytest.approx(60.0)
    assert limiter.try_acquire("other", limit) == 0.0
    clock[0] = NOW + timedelta(seconds=61)
    assert limiter.try_acquire("k", limit) == 0.0
