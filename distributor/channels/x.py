"""X (Twitter): `Client.create_tweet` through tweepy, a thread by `in_reply_to_tweet_id`.

OAuth 1.0a user keys come from the settings. Requests go to `settings.x_api_url` (tweepy's
host is fixed, so a requests adapter re-targets it), with a timeout on every call.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

import requests
import tweepy
from requests.adapters import HTTPAdapter

from distributor.channels.social_http import (
    ApiFailure,
    HttpSocialChannel,
    delivery_key,
    failure_for,
    post_thread,
)
from distributor.model import Message, Receipt, Snippet
from distributor.render.snippets import X_RULES

TWEEPY_HOST = "https://api.twitter.com"
TIMEOUT_SECONDS = (10, 20)


class RetargetAdapter(HTTPAdapter):
    """Sends requests meant for api.twitter.com to another base URL, always with a timeout."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Rewrite the host part of the URL, then send."""
        if request.url and request.url.startswith(TWEEPY_HOST):
            request.url = self.base_url + request.url[len(TWEEPY_HOST) :]
        kwargs["timeout"] = kwargs.get("timeout") or TIMEOUT_SECONDS
        return super().send(request, **kwargs)


class X(HttpSocialChannel):
    """Posts a Snippet as a thread of tweets from the account the user keys belong to."""

    name: ClassVar[str] = "x"
    service = "X"
    required = ("x_consumer_key", "x_consumer_secret", "x_access_token", "x_access_token_secret")
    rules = X_RULES
    _tweepy: tweepy.Client | None = None

    def send(self, item: Message | Snippet) -> Receipt:
        """Post the thread (or write it to the outbox), resuming after `item.posted`."""
        assert isinstance(item, Snippet), "X sends Snippets"
        if refused := self.unconfigured():
            return refused
        key = delivery_key(item)

        def tweet(text: str, index: int, parts: tuple[str, ...]) -> str:
            reply_to = parts[-1] if parts else None
            if self.outbox:
                body: dict[str, Any] = {"text": text}
                if reply_to:
                    body["reply"] = {"in_reply_to_tweet_id": reply_to}
                url = f"{self.settings.x_api_url.rstrip('/')}/2/tweets"
                headers = {"Content-Type": "application/json"}
                self.request("POST", url, key=key, index=index, headers=headers, json=body)
                return f"outbox:{key}-{index + 1}"
            return self._create_tweet(text, reply_to)

        return post_thread(item, tweet, self.service)

    def close(self) -> None:
        """Release the HTTP connections (tweepy's session too)."""
        if self._tweepy is not None:
            self._tweepy.session.close()
        super().close()

    def _keys(self) -> tuple[str, str, str, str] | None:
        s = self.settings
        secrets = (s.x_consumer_key, s.x_consumer_secret, s.x_access_token, s.x_access_token_secret)
        if any(secret is None for secret in secrets):
            return None
        return tuple(secret.get_secret_value() for secret in secrets)  # type: ignore[union-attr,return-value]

    def _client(self) -> tweepy.Client:
        if self._tweepy is None:
            consumer_key, consumer_secret, access_token, access_secret = self._keys() or ("",) * 4
            client = tweepy.Client(
                consumer_key=consumer_key,
                consumer_secret=consumer_secret,
                access_token=access_token,
                access_token_secret=access_secret,
            )
            adapter = RetargetAdapter(self.settings.x_api_url)
            client.session.mount(TWEEPY_HOST, adapter)
            self._tweepy = client
        return self._tweepy

    def _create_tweet(self, text: str, reply_to: str | None) -> str:
        try:
            response = self._client().create_tweet(
                text=text, in_reply_to_tweet_id=reply_to, user_auth=True
            )
        except tweepy.TooManyRequests as exc:
            retry_at = datetime.fromtimestamp(exc.reset_time, UTC) if exc.reset_time else None
            raise ApiFailure("X rate limit reached", True, retry_at) from exc
        except tweepy.HTTPException as exc:
            message = "; ".join(exc.api_messages) or str(exc)
            status = exc.response.status_code
            raise failure_for("X", status, message, exc.response.headers, self.now()) from exc
        except requests.RequestException as exc:
            raise ApiFailure(f"X could not be reached: {type(exc).__name__}", True) from exc
        return str(response.data["id"])
