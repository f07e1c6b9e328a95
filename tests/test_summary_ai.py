"""The optional AI summary: asked from an OpenAI-compatible endpoint, extractive on any failure.

A fake endpoint on loopback asserts the exact request (path, model, messages, auth header).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from distributor.config import Settings
from distributor.content.article_text import article_text
from distributor.content.digest import build_digest
from distributor.model import Post
from distributor.summary_ai import digest_builder, prompt, summarised_digest, summary_api
from tests.fake_summary_api import Answer, FakeSummaryApi, fake_summary_api

AI_SUMMARY = (
    "Een kinesist vertelt hoe zijn hernia met uitstralende beenpijn na vier maanden genas. "
    "Actief blijven, geduld en geleidelijk opbouwen hielpen meer dan een infiltratie."
)
KEY = "sk-test-not-a-real-key"


@pytest.fixture(scope="module")
def sample_post(sample_post_path: Path) -> Post:
    """The practice's real post, as plain text."""
    body = sample_post_path.read_text(encoding="utf-8")
    return Post(guid=str(sample_post_path), title="", body=body, body_format="text")


@pytest.fixture
def fake() -> Iterator[FakeSummaryApi]:
    with fake_summary_api() as api:
        api.answer_with(AI_SUMMARY)
        yield api


def settings_for(fake: FakeSummaryApi, **more: object) -> Settings:
    values: dict[str, object] = {
        "summary_api_url": f"{fake.base_url}/v1",
        "summary_model": "llama3.2:3b",
        "summary_api_key": KEY,
        "summary_api_timeout_s": 5.0,
    }
    values.update(more)
    return Settings(**values)  # type: ignore[arg-type]


def test_the_summary_is_asked_with_the_exact_request_and_the_answer_is_used(fake, sample_post):
    digest = summarised_digest(sample_post, settings_for(fake))
    assert (digest.summary, digest.summary_source) == (AI_SUMMARY, "ai")
    (seen,) = fake.requests
    assert seen.path == "/v1/chat/completions"
    assert seen.headers["authorization"] == f"Bearer {KEY}"
    assert seen.headers["content-type"] == "application/json"
    assert seen.body == {
        "model": "llama3.2:3b",
        "messages": [
            {"role": "system", "content": prompt("nl")},
            {"role": "user", "content": article_text(sample_post)},
        ],
        "temperature": 0.2,
        "stream": False,
    }


def test_the_endpoint_gets_the_cleaned_body_only(fake, sample_post):
    summarised_digest(sample_post, settings_for(fake))
    sent = fake.requests[0].body["messages"][1]["content"]  # type: ignore[index]
    assert "Hallo allemaal, mijn naam is Elias" in sent
    assert "Geen paniek" in sent
    assert "Bronnen" not in sent and "doi:" not in sent
    assert "Terug naar blog" not in sent and "Leestijd" not in sent


def test_the_prompt_asks_two_sentences_in_the_posts_language():
    assert "two sentences in Dutch" in prompt("nl")
    assert "two sentences in French" in prompt("fr")


def test_a_full_chat_completions_url_is_used_as_given(fake, sample_post):
    url = f"{fake.base_url}/api/v1/chat/completions"
    summarised_digest(sample_post, settings_for(fake, summary_api_url=url))
    assert fake.requests[0].path == "/api/v1/chat/completions"


def test_without_a_key_no_authorization_header_is_sent(fake, sample_post):
    digest = summarised_digest(sample_post, settings_for(fake, summary_api_key=None))
    assert digest.summary_source == "ai"
    assert "authorization" not in fake.requests[0].headers


@pytest.mark.parametrize(
    "answer",
    [
        Answer(status=500, body=b'{"error": "model crashed"}'),
        Answer(status=503, body=b""),
        Answer(status=401, body=b'{"error": "bad key"}'),
        Answer(body=b"<html>not json</html>"),
        Answer(body=b'{"choices": []}'),
        Answer(body=b'{"choices": [{"message": {"content": null}}]}'),
    ],
    ids=["500", "503", "401", "not-json", "no-choices", "no-content"],
)
def test_any_failure_keeps_the_extractive_summary(fake, sample_post, answer):
    fake.answer = answer
    digest = summarised_digest(sample_post, settings_for(fake))
    assert digest.summary_source == "extractive"
    assert digest.summary == build_digest(sample_post).summary


@pytest.mark.parametrize(
    "content",
    ["", "   ", "- Blijf bewegen\n- Wees geduldig", '{"summary": "x"}', "Zin. " * 400],
    ids=["empty", "blank", "a-list", "json", "too-long"],
)
def test_an_answer_that_is_not_a_short_summary_keeps_the_extractive_one(fake, sample_post, content):
    fake.answer_with(content)
    assert summarised_digest(sample_post, settings_for(fake)).summary_source == "extractive"


def test_an_endpoint_slower_than_the_timeout_keeps_the_extractive_summary(fake, sample_post):
    fake.answer = Answer(body=fake.answer.body, delay=1.5)
    digest = summarised_digest(sample_post, settings_for(fake, summary_api_timeout_s=0.3))
    assert digest.summary_source == "extractive"


def test_a_failure_is_logged_without_the_key(fake, sample_post, caplog):
    fake.answer = Answer(status=500, body=KEY.encode())
    with caplog.at_level(logging.WARNING, logger="distributor.summary_ai"):
        summarised_digest(sample_post, settings_for(fake))
    assert "AI summary unavailable" in caplog.text
    assert KEY not in caplog.text


def test_the_ai_summary_is_off_by_default(monkeypatch, sample_post):
    for name in ("DISTRIBUTOR_SUMMARY_API_URL", "DISTRIBUTOR_SUMMARY_MODEL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert summary_api(settings) is None and digest_builder(settings) is None
    assert summarised_digest(sample_post, settings) == build_digest(sample_post)


def test_the_summary_source_travels_with_the_digest_json(fake, sample_post):
    digest = summarised_digest(sample_post, settings_for(fake))
    assert digest.as_json()["summary_source"] == "ai"
    assert build_digest(sample_post).as_json()["summary_source"] == "extractive"


def test_the_digest_command_shows_the_ai_summary_and_its_source(fake, sample_post_path: Path):
    env = os.environ | {
        "DISTRIBUTOR_SUMMARY_API_URL": f"{fake.base_url}/v1",
        "DISTRIBUTOR_SUMMARY_MODEL": "llama3.2:3b",
        "DISTRIBUTOR_SUMMARY_API_KEY": KEY,
    }
    script = Path(sys.executable).parent / "distributor"
    result = subprocess.run(
        [str(script), "digest", str(sample_post_path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert (shown["summary"], shown["summary_source"]) == (AI_SUMMARY, "ai")
    assert fake.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_a_post_with_only_a_title_still_gets_a_digest_when_the_endpoint_fails(fake):
    fake.answer = Answer(status=500)
    post = Post(
        guid="p", title="Rugpijn", body="Blijf bewegen, ook met rugpijn. " * 5, body_format="text"
    )
    assert summarised_digest(post, settings_for(fake)).summary_source == "extractive"


@pytest.mark.parametrize("url", ["not a url", "http://[::1", "ftp://example.org/v1"])
def test_a_misconfigured_url_keeps_the_extractive_summary(fake, sample_post, url):
    digest = summarised_digest(sample_post, settings_for(fake, summary_api_url=url))
    assert digest.summary_source == "extractive"
