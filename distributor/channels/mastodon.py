"""Mastodon: `POST /api/v1/statuses`, a thread by `in_reply_to_id`, one Idempotency-Key each."""

from __future__ import annotations

from typing import Any, ClassVar

from distributor.channels.social_http import (
    HttpSocialChannel,
    delivery_key,
    post_thread,
)
from distributor.model import Message, Receipt, Snippet
from distributor.render.snippets import PlatformRules, mastodon_rules


class Mastodon(HttpSocialChannel):
    """Posts a Snippet's texts as a public thread on the configured instance."""

    name: ClassVar[str] = "mastodon"
    service = "Mastodon"
    required = ("mastodon_url", "mastodon_token")

    @classmethod
    def snippet_rules(cls, settings: Any) -> PlatformRules:
        """Mastodon's rules, with the instance's own character limit."""
        return mastodon_rules(settings.mastodon_max_chars)

    def send(self, item: Message | Snippet) -> Receipt:
        """Post the thread (or write it to the outbox), resuming after `item.posted`."""
        assert isinstance(item, Snippet), "Mastodon sends Snippets"
        token = self.settings.mastodon_token
        if refused := self.unconfigured():
            return refused
        key = delivery_key(item)

        def post_status(text: str, index: int, parts: tuple[str, ...]) -> str:
            body = {"status": text, "visibility": "public"}
            if item.language:
                body["language"] = item.language
            if parts:
                body["in_reply_to_id"] = parts[-1]
            headers = {"Idempotency-Key": f"{key}-{index + 1}"}
            if token is not None:
                headers["Authorization"] = f"Bearer {token.get_secret_value()}"
            base = (self.settings.mastodon_url or "").rstrip("/")
            response = self.request(
                "POST", f"{base}/api/v1/statuses", key=key, index=index, headers=headers, json=body
            )
            return str(response.json()["id"])

        return post_thread(item, post_status, self.service)
