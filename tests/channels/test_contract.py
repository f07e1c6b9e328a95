"""One contract for every registered channel: it describes itself (name, what it carries,
rules, required settings); a social one takes a Snippet and answers a Receipt, errors mapped."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from distributor.channels import CHANNELS
from distributor.channels.base import Channel
from distributor.config import Settings
from distributor.model import Digest
from tests.channels.conftest import FAKES, NOW, fixed_now, live_settings, make_snippet, url_settings

SOCIAL = sorted(name for name in CHANNELS if name in FAKES)
EMAIL_MODULES = ("smtp", "outbox")
RESET = int((NOW + timedelta(minutes=15)).timestamp())
RESET_HEADERS = {
    "x": {"x-rate-limit-reset": str(RESET)},
    "mastodon": {"x-ratelimit-reset": (NOW + timedelta(minutes=15)).isoformat()},
    "bluesky": {"ratelimit-reset": str(RESET)},
    "linkedin": {"retry-after": "900"},
    "webhook": {"retry-after": "900"},
}
POST_PATHS = {
    "x": "/2/tweets",
    "mastodon": "/api/v1/statuses",
    "bluesky": "/xrpc/com.atproto.repo.createRecord",
    "linkedin": "/rest/posts",
    "webhook": "/hooks/distributor",
}


def channel_for(name: str, fake, tmp_path: Path) -> Channel:
    settings = live_settings(tmp_path, **url_settings(name, fake))
    channel = CHANNELS[name](settings, now=fixed_now)
    assert isinstance(channel, Channel)
    return channel


def test_every_registered_channel_is_either_email_or_covered_by_a_fake_api():
    uncovered = [
        name
        for name, cls in CHANNELS.items()
        if name not in FAKES and not cls.__module__.endswith(EMAIL_MODULES)
    ]
    assert uncovered == []
    assert set(FAKES) <= set(CHANNELS)


@pytest.mark.parametrize("name", SOCIAL)
def test_a_snippet_sent_to_the_api_comes_back_as_an_ok_receipt(name, start_fake, tmp_path):
    fake = start_fake(name)
    channel = channel_for(name, fake, tmp_path)
    receipt = channel.send(make_snippet(name))
    channel.close()
    assert receipt.ok, receipt.error
    assert receipt.remote_id
    assert receipt.parts and receipt.parts[0].split(" ")[0] == receipt.remote_id.split(" ")[0]
    assert fake.violations == []


@pytest.mark.parametrize("name", SOCIAL)
def test_429_is_temporary_and_retries_at_the_reset_time_the_api_names(name, start_fake, tmp_path):
    fake = start_fake(name)
    fake.fail_next(POST_PATHS[name], 429, RESET_HEADERS[name], {"error": "Too Many Requests"})
    receipt = channel_for(name, fake, tmp_path).send(make_snippet(name))
    assert not receipt.ok and receipt.temporary
    assert receipt.retry_at == datetime.fromtimestamp(RESET, UTC)


@pytest.mark.parametrize("name", SOCIAL)
def test_401_is_permanent_and_says_to_check_the_token(name, start_fake, tmp_path):
    fake = start_fake(name)
    fake.fail_next(POST_PATHS[name], 401, {}, {"error": "Unauthorized", "message": "bad token"})
    receipt = channel_for(name, fake, tmp_path).send(make_snippet(name))
    assert receipt.permanent
    assert "check the token" in receipt.error


@pytest.mark.parametrize("name", SOCIAL)
def test_5xx_is_temporary(name, start_fake, tmp_path):
    fake = start_fake(name)
    fake.fail_next(POST_PATHS[name], 503, {}, {"error": "Service Unavailable"})
    receipt = channel_for(name, fake, tmp_path).send(make_snippet(name))
    assert not receipt.ok and receipt.temporary and receipt.retry_at is None


@pytest.mark.parametrize("name", SOCIAL)
def test_422_is_permanent_and_carries_the_apis_own_message(name, start_fake, tmp_path):
    fake = start_fake(name)
    body = {"message": "Text is too long", "error": "Validation failed: Text is too long"}
    fake.fail_next(POST_PATHS[name], 422, {}, body)
    receipt = channel_for(name, fake, tmp_path).send(make_snippet(name))
    assert receipt.permanent
    assert "Text is too long" in receipt.error


@pytest.mark.parametrize("name", [n for n in SOCIAL if n != "x"])  # X: requests' own timeout
def test_an_api_that_does_not_answer_in_time_is_a_temporary_failure(name, start_fake, tmp_path):
    fake = start_fake(name)
    fake.fail_next(POST_PATHS[name], 201, {}, {}, delay=1.0)
    settings = live_settings(tmp_path, **url_settings(name, fake))
    with httpx.Client(timeout=0.2) as client:
        receipt = CHANNELS[name](settings, client=client, now=fixed_now).send(make_snippet(name))
    assert not receipt.ok and receipt.temporary and "timed out" in receipt.error


@pytest.mark.parametrize("name", SOCIAL)
def test_an_unreachable_api_is_a_temporary_failure(name, tmp_path):
    closed = type("Closed", (), {"url": "http://127.0.0.1:9"})()
    receipt = channel_for(name, closed, tmp_path).send(make_snippet(name))
    assert not receipt.ok and receipt.temporary


@pytest.mark.parametrize("name", SOCIAL)
def test_a_live_channel_without_credentials_fails_permanently_saying_what_to_set(name, tmp_path):
    settings = live_settings(tmp_path, **{f: None for f in SECRET_FIELDS[name]})
    receipt = CHANNELS[name](settings).send(make_snippet(name))
    missing = f"DISTRIBUTOR_{SECRET_FIELDS[name][0].upper()}"  # the variable Settings reads
    assert receipt.permanent and missing in receipt.error


SECRET_FIELDS = {
    "x": ("x_consumer_key",),
    "mastodon": ("mastodon_token",),
    "bluesky": ("bluesky_app_password",),
    "linkedin": ("linkedin_token",),
    "webhook": ("webhook_secret",),
}


@pytest.mark.parametrize("name", list(CHANNELS))
def test_every_registered_channel_describes_itself(name, tmp_path):
    cls = CHANNELS[name]
    settings = live_settings(tmp_path)
    assert cls.name == name and cls.carries in ("email", "social")
    if cls.carries == "social":
        link = "https://praktijk.example/blog/rugpijn"
        snippet = cls.snippet(DIGEST, link, cls.snippet_rules(settings))
        assert snippet.platform == name and snippet.texts
        assert f"utm_source={name}" in snippet.link
        rules = cls.snippet_rules(settings)
        assert rules is None or all(rules.fits(text) for text in snippet.texts)
    for field in cls.required:
        assert field in Settings.model_fields, f"{name} needs an unknown setting {field}"


@pytest.mark.parametrize("name", SOCIAL)
def test_missing_settings_are_named_by_their_environment_variables(name, tmp_path):
    cls = CHANNELS[name]
    settings = live_settings(tmp_path, **dict.fromkeys(cls.required))
    assert cls.missing_settings(settings) == [f"DISTRIBUTOR_{f.upper()}" for f in cls.required]
    assert cls.missing_settings(live_settings(tmp_path, **url_settings(name, FAKE_URL))) == []


@pytest.mark.parametrize("name", SOCIAL)
def test_an_outbox_record_says_whether_the_channel_could_have_posted(name, tmp_path):
    unconfigured = live_settings(
        tmp_path, social_channel="outbox", **dict.fromkeys(CHANNELS[name].required)
    )
    receipt = CHANNELS[name](unconfigured, now=fixed_now).send(make_snippet(name))
    records = sorted((unconfigured.outbox_dir / "social").glob("*.json"))
    first = json.loads(records[0].read_text(encoding="utf-8"))
    assert receipt.ok and first["configured"] is False
    assert first["missing"] == CHANNELS[name].missing_settings(unconfigured)


FAKE_URL = type("Fake", (), {"url": "https://api.example"})()
DIGEST = Digest(
    title="Rugpijn door een hernia: wat helpt?",
    language="nl",
    summary="Een hernia geneest meestal vanzelf. Blijf bewegen en bouw rustig op.",
    reading_time=4,
    word_count=820,
    highlights=("Blijf in beweging.", "Wissel houdingen af."),
    keywords=("hernia",),
    hashtags=("#rugpijn",),
    image=None,
    url="https://praktijk.example/blog/rugpijn",
    published=None,
    slug="rugpijn",
)
