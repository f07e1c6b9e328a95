"""Generic webhook: the post's digest and links as JSON, signed per the Standard Webhooks spec.

Headers `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`
(`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed by the base64 secret after
`whsec_`). The webhook id is the delivery key, so a receiver can drop a repeated delivery.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import replace
from typing import ClassVar

from distributor.channels.social_http import (
    HttpSocialChannel,
    check,
    delivery_key,
    post_thread,
)
from distributor.channels.social_outbox import outbox_note
from distributor.model import Digest, Message, Receipt, Snippet
from distributor.render.snippets import PlatformRules, webhook_snippet

EVENT_TYPE = "post.published"


class Webhook(HttpSocialChannel):
    """POSTs one signed JSON event per Snippet to the configured URL."""

    name: ClassVar[str] = "webhook"
    service = "The webhook"
    required = ("webhook_url", "webhook_secret")

    @classmethod
    def snippet(cls, digest: Digest, url: str, rules: PlatformRules | None) -> Snippet:
        """The event's content: title and link, then every highlight (no length limit)."""
        return webhook_snippet(digest, url)

    def send(self, item: Message | Snippet) -> Receipt:
        """Deliver the event (or write it to the outbox)."""
        assert isinstance(item, Snippet), "the webhook sends Snippets"
        settings = self.settings
        if refused := self.unconfigured():
            return refused
        key = delivery_key(item)
        single = replace(item, texts=("event",))

        def deliver(text: str, index: int, parts: tuple[str, ...]) -> str:
            timestamp = int(self.now().timestamp())
            body = event_body(item, timestamp)
            raw = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
            headers = {
                "content-type": "application/json",
                "webhook-id": key,
                "webhook-timestamp": str(timestamp),
            }
            if settings.webhook_secret is not None:
                secret = settings.webhook_secret.get_secret_value()
                headers["webhook-signature"] = sign(secret, key, timestamp, raw.encode())
            note = outbox_note(key, index, headers)
            url = settings.webhook_url or "/webhook"
            response = self.client.post(url, headers=headers, content=raw.encode(), extensions=note)
            check(self.service, response, self.now())
            return key

        return post_thread(single, deliver, self.service)


def event_body(snippet: Snippet, timestamp: int) -> dict:
    """The event: type, timestamp and the post's digest (title, summary, highlights, links)."""
    return {
        "type": EVENT_TYPE,
        "timestamp": timestamp,
        "data": {
            "title": snippet.title,
            "summary": snippet.description,
            "language": snippet.language,
            "url": snippet.link,
            "image": snippet.image,
            "highlights": list(snippet.texts[1:]),
        },
    }


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The Standard Webhooks signature header value ("v1,<base64>")."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()
