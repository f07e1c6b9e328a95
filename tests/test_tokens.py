"""Signed unsubscribe and preferences tokens: they name a subscriber and campaign, unforgeably."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from distributor.config import Settings
from distributor.tokens import (
    InvalidToken,
    make_token,
    preferences_url,
    read_token,
    signing_key,
    unsubscribe_url,
)

KEY = b"k" * 32


def test_a_token_names_its_subscriber_and_campaign():
    claims = read_token(KEY, make_token(KEY, 42, 7, "unsubscribe"), "unsubscribe")
    assert (claims.subscriber_id, claims.campaign_id) == (42, "7")


def test_a_token_without_campaign_is_valid_for_the_preferences_page():
    claims = read_token(KEY, make_token(KEY, 42, None, "preferences"), "preferences")
    assert (claims.subscriber_id, claims.campaign_id) == (42, None)


def test_an_altered_token_is_refused_with_a_clear_error():
    token = make_token(KEY, 42, 7, "unsubscribe")
    payload, signature = token.rsplit(".", 1)
    forged = make_token(b"another key", 43, 7, "unsubscribe").rsplit(".", 1)[0] + "." + signature
    for bad in (forged, token[:-2], payload, token + "x", ""):
        with pytest.raises(InvalidToken, match="unsubscribe link is not valid"):
            read_token(KEY, bad, "unsubscribe")


def test_a_token_made_with_another_key_or_for_another_purpose_is_refused():
    with pytest.raises(InvalidToken):
        read_token(KEY, make_token(b"x" * 32, 42, 7, "unsubscribe"), "unsubscribe")
    with pytest.raises(InvalidToken):
        read_token(KEY, make_token(KEY, 42, 7, "preferences"), "unsubscribe")


def test_tokens_differ_per_subscriber_and_are_url_safe():
    tokens = {make_token(KEY, n, 7, "unsubscribe") for n in range(200)}
    assert len(tokens) == 200
    assert all(t.replace("-", "").replace("_", "").replace(".", "").isalnum() for t in tokens)


def test_urls_put_the_token_under_u_and_p_of_the_public_url():
    assert unsubscribe_url("https://n.example/", "T") == "https://n.example/u/T"
    assert preferences_url("https://n.example", "T") == "https://n.example/p/T"


def test_the_configured_secret_key_signs_tokens(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, secret_key="correct horse battery staple")
    assert signing_key(settings) == b"correct horse battery staple"
    assert not (tmp_path / "secret.key").exists()


def test_without_a_configured_key_one_is_made_once_and_kept_private(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", secret_key=None)
    first = signing_key(settings)
    second = signing_key(settings)
    path = tmp_path / "data" / "secret.key"
    assert first == second and len(first) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_token(second, make_token(first, 1, 2, "unsubscribe"), "unsubscribe")
