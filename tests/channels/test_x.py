"""X: tweets through tweepy with OAuth 1.0a user keys, threads by in_reply_to_tweet_id."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from distributor.channels.x import X
from tests.channels.conftest import fixed_now, live_settings, make_snippet
from tests.channels.fakes import Answer

PATH = "/2/tweets"


def channel(tmp_path, api, **overrides):
    return X(live_settings(tmp_path, x_api_url=api.url, **overrides), now=fixed_now)


def test_a_thread_is_posted_as_signed_tweets_each_replying_to_the_one_before(x_api, tmp_path):
    snippet = make_snippet("x")
    x = channel(tmp_path, x_api)
    receipt = x.send(snippet)
    x.close()
    calls = x_api.calls(PATH)
    assert receipt.ok and receipt.remote_id == receipt.parts[0] and len(receipt.parts) == 3
    assert [call.json() for call in calls] == [
        {"text": snippet.texts[0]},
        {"text": snippet.texts[1], "reply": {"in_reply_to_tweet_id": receipt.parts[0]}},
        {"text": snippet.texts[2], "reply": {"in_reply_to_tweet_id": receipt.parts[1]}},
    ]
    assert all(call.headers["authorization"].startswith("OAuth ") for call in calls)
    assert x_api.violations == []  # every OAuth 1.0a signature verified


def test_wrong_user_keys_are_a_permanent_failure_that_says_to_check_the_token(x_api, tmp_path):
    receipt = channel(tmp_path, x_api, x_access_token_secret="not-the-secret").send(
        make_snippet("x")
    )
    assert receipt.permanent and "check the token" in receipt.error
    assert receipt.parts == ()


def test_a_rate_limited_reply_keeps_the_posted_part_and_resumes_after_it(x_api, tmp_path):
    snippet = make_snippet("x")
    x = channel(tmp_path, x_api)
    original = x_api.routes[("POST", PATH)]
    answered = []

    def limit_the_second(seen):
        answered.append(seen)
        if len(answered) == 2:
            return Answer(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": "1772445600"})
        return original(seen)

    x_api.route("POST", PATH, limit_the_second)
    limited = x.send(snippet)
    assert limited.temporary and len(limited.parts) == 1
    assert limited.retry_at == datetime.fromtimestamp(1772445600, UTC)
    resumed = x.send(replace(snippet, posted=limited.parts))
    assert resumed.ok and resumed.parts[0] == limited.parts[0] and len(resumed.parts) == 3
    texts = [call.json()["text"] for call in x_api.calls(PATH)]
    assert texts.count(snippet.texts[0]) == 1


def test_the_outbox_holds_the_tweet_requests_without_any_key(tmp_path):
    settings = live_settings(tmp_path, social_channel="outbox")
    receipt = X(settings).send(make_snippet("x"))
    files = sorted((settings.outbox_dir / "social").glob("*.json"))
    records = [json.loads(f.read_text()) for f in files]
    assert receipt.ok and len(records) == 3
    assert records[0] == {
        "method": "POST",
        "url": "https://api.twitter.com/2/tweets",
        "headers": {"Content-Type": "application/json"},
        "body": {"text": make_snippet("x").texts[0]},
        "configured": True,
    }
    assert records[1]["body"]["reply"] == {"in_reply_to_tweet_id": receipt.parts[0]}
    assert not any(secret in f.read_text() for f in files for secret in ("consumer", "access"))
