"""Mastodon: exact status requests, threads by in_reply_to_id, Idempotency-Key, resume, outbox."""

from __future__ import annotations

import json
from dataclasses import replace

from distributor.channels.mastodon import Mastodon
from tests.channels.conftest import fixed_now, live_settings, make_snippet

PATH = "/api/v1/statuses"


def channel(tmp_path, api, **overrides):
    settings = live_settings(tmp_path, mastodon_url=api.url, **overrides)
    return Mastodon(settings, now=fixed_now)


def test_a_thread_is_posted_as_public_statuses_each_replying_to_the_one_before(
    mastodon_api, tmp_path
):
    snippet = make_snippet("mastodon")
    receipt = channel(tmp_path, mastodon_api).send(snippet)
    calls = mastodon_api.calls(PATH)
    assert receipt.ok and len(receipt.parts) == 3
    assert [call.json() for call in calls] == [
        {"status": snippet.texts[0], "visibility": "public", "language": "nl"},
        {
            "status": snippet.texts[1],
            "visibility": "public",
            "language": "nl",
            "in_reply_to_id": receipt.parts[0],
        },
        {
            "status": snippet.texts[2],
            "visibility": "public",
            "language": "nl",
            "in_reply_to_id": receipt.parts[1],
        },
    ]
    assert [c.headers["authorization"] for c in calls] == ["Bearer mastodon-token"] * 3
    keys = [c.headers["idempotency-key"] for c in calls]
    assert keys == ["campaign-7-mastodon-1", "campaign-7-mastodon-2", "campaign-7-mastodon-3"]
    assert mastodon_api.violations == []


def test_sending_the_same_delivery_twice_creates_no_second_status(mastodon_api, tmp_path):
    first = channel(tmp_path, mastodon_api).send(make_snippet("mastodon"))
    second = channel(tmp_path, mastodon_api).send(make_snippet("mastodon"))
    assert first.parts == second.parts


def test_a_thread_that_failed_half_way_resumes_without_reposting_the_first_item(
    mastodon_api, tmp_path
):
    mastodon = channel(tmp_path, mastodon_api)
    snippet = make_snippet("mastodon")
    first_try = mastodon.send(replace(snippet, texts=snippet.texts[:1]))
    mastodon_api.fail_next(PATH, 503, {}, {"error": "Service Unavailable"})
    failed = mastodon.send(replace(snippet, posted=first_try.parts))
    assert failed.temporary and failed.parts == first_try.parts
    resumed = mastodon.send(replace(snippet, posted=failed.parts))
    assert resumed.ok and resumed.parts[0] == first_try.parts[0] and len(resumed.parts) == 3
    statuses = [c.json()["status"] for c in mastodon_api.calls(PATH)]
    assert statuses.count(snippet.texts[0]) == 1
    assert mastodon_api.calls(PATH)[-1].json()["in_reply_to_id"] == resumed.parts[1]


def test_the_outbox_holds_each_request_without_the_token(tmp_path, mastodon_api):
    settings = live_settings(tmp_path, social_channel="outbox", mastodon_url=mastodon_api.url)
    receipt = Mastodon(settings).send(make_snippet("mastodon"))
    files = sorted((settings.outbox_dir / "social").glob("*.json"))
    assert receipt.ok and [f.name for f in files] == [
        "campaign-7-mastodon-1.json",
        "campaign-7-mastodon-2.json",
        "campaign-7-mastodon-3.json",
    ]
    first = json.loads(files[0].read_text())
    assert first["method"] == "POST" and first["url"] == mastodon_api.url + PATH
    assert first["headers"] == {"Idempotency-Key": "campaign-7-mastodon-1"}
    assert first["body"]["status"].startswith("Hoe ik mijn rugpijn")
    assert "mastodon-token" not in "".join(f.read_text() for f in files)
    assert mastodon_api.requests == []
