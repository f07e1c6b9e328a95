"""Webhook: the digest as JSON, signed per Standard Webhooks, id = delivery key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from distributor.channels.webhook import Webhook, sign
from tests.channels.conftest import NOW, fixed_now, live_settings, make_snippet
from tests.channels.fake_apis import WEBHOOK_SECRET

PATH = "/hooks/distributor"


def test_the_event_is_signed_so_the_receiver_can_verify_it(webhook_api, tmp_path):
    settings = live_settings(tmp_path, webhook_url=webhook_api.url + PATH)
    snippet = make_snippet("webhook", image="https://praktijk.example/lead.jpg")
    receipt = Webhook(settings, now=fixed_now).send(snippet)
    [call] = webhook_api.calls(PATH)
    assert receipt.ok and receipt.remote_id == "campaign-7-webhook"
    assert call.headers["webhook-id"] == "campaign-7-webhook"
    assert call.headers["webhook-timestamp"] == str(int(NOW.timestamp()))
    assert call.json() == {
        "type": "post.published",
        "timestamp": int(NOW.timestamp()),
        "data": {
            "title": snippet.title,
            "summary": snippet.description,
            "language": "nl",
            "url": snippet.link,
            "image": "https://praktijk.example/lead.jpg",
            "highlights": list(snippet.texts[1:]),
        },
    }
    assert webhook_api.violations == []


def test_the_signature_matches_the_standard_webhooks_reference_computation():
    key = base64.b64decode(WEBHOOK_SECRET.removeprefix("whsec_"))
    body = b'{"type":"post.published"}'
    expected = hmac.new(key, b"msg_1.1700000000." + body, hashlib.sha256).digest()
    assert (
        sign(WEBHOOK_SECRET, "msg_1", 1700000000, body)
        == "v1," + base64.b64encode(expected).decode()
    )


def test_a_wrong_secret_is_refused_and_reported_as_a_token_problem(webhook_api, tmp_path):
    wrong = "whsec_" + base64.b64encode(b"another secret entirely").decode()
    settings = live_settings(tmp_path, webhook_url=webhook_api.url + PATH, webhook_secret=wrong)
    receipt = Webhook(settings).send(make_snippet("webhook"))
    assert receipt.permanent and "check the token" in receipt.error


def test_the_outbox_holds_the_event_without_its_signature(tmp_path):
    settings = live_settings(
        tmp_path, social_channel="outbox", webhook_url="https://hook.example/x"
    )
    Webhook(settings, now=fixed_now).send(make_snippet("webhook"))
    [path] = (settings.outbox_dir / "social").glob("*.json")
    record = json.loads(path.read_text())
    assert record["url"] == "https://hook.example/x"
    assert "webhook-signature" not in record["headers"]
    assert record["headers"]["webhook-id"] == "campaign-7-webhook"
    assert record["body"]["type"] == "post.published"
