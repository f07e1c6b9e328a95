"""What every social channel shares: mapping API answers to Receipts, and posting threads.

429 is temporary until the reset the API names; 401/403 are permanent ("check the token");
other 4xx are permanent with the API's own message; 5xx, timeouts and network errors are
temporary. A thread resumes after the items an earlier attempt posted (`Snippet.posted`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from distributor.channels.base import Described
from distributor.channels.social_outbox import outbox_client, outbox_note
from distributor.config import Settings
from distributor.model import Receipt, Snippet

RESET_HEADERS = ("x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset", "retry-after")
EPOCH_THRESHOLD = 1_000_000_000  # larger numbers are Unix times, smaller ones are delays
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


@dataclass
class ApiFailure(Exception):
    """A request the API refused or that never got an answer."""

    error: str
    temporary: bool
    retry_at: datetime | None = None


def utcnow() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def retry_time(headers: Any, now: datetime) -> datetime | None:
    """When a 429 may be retried, from x-rate-limit-reset, ratelimit-reset or retry-after."""
    for name in RESET_HEADERS:
        value = headers.get(name)
        if value:
            moment = _parse_reset(str(value).strip(), now)
            if moment is not None:
                return moment
    return None


def _parse_reset(value: str, now: datetime) -> datetime | None:
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        if number >= EPOCH_THRESHOLD:
            return datetime.fromtimestamp(number, UTC)
        return now + timedelta(seconds=number)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).astimezone(UTC)
    except (TypeError, ValueError):
        return None


def failure_for(service: str, status: int, message: str, headers: Any, now: datetime) -> ApiFailure:
    """The failure an HTTP status means (see the module docstring)."""
    detail = f"{service} answered {status}: {message}".strip().rstrip(":")
    if status == 429:
        return ApiFailure(f"{service} rate limit reached", True, retry_time(headers, now))
    if status in (401, 403):
        return ApiFailure(f"{detail}; check the token (credentials) for {service}", False)
    if status in (408, 425) or status >= 500:
        return ApiFailure(detail, True)
    return ApiFailure(detail, False)


def api_message(response: httpx.Response) -> str:
    """The API's own error message from a JSON error body, else the start of the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        code, message = body.get("error"), body.get("message")
        if isinstance(code, str) and isinstance(message, str) and code and message:
            return message if code in message else f"{code}: {message}"
        for key in ("message", "error_description", "error", "detail", "title"):
            if isinstance(body.get(key), str) and body[key]:
                return body[key]
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("message", errors[0]))
    return str(body)[:300]


def check(service: str, response: httpx.Response, now: datetime) -> None:
    """Raise the ApiFailure a non-2xx response means."""
    if not response.is_success:
        status = response.status_code
        raise failure_for(service, status, api_message(response), response.headers, now)


def transport_failure(service: str, exc: Exception) -> ApiFailure:
    """A timeout or network error: temporary."""
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "could not be reached"
    return ApiFailure(f"{service} {kind}: {type(exc).__name__}", True)


def post_thread(
    snippet: Snippet, post_one: Callable[[str, int, tuple[str, ...]], str], service: str
) -> Receipt:
    """Post each text not yet posted, in order; a failure keeps the parts already posted."""
    parts = list(snippet.posted)
    for index, text in enumerate(snippet.texts):
        if index < len(parts):
            continue
        try:
            parts.append(post_one(text, index, tuple(parts)))
        except ApiFailure as failure:
            return _failed(parts, failure)
        except httpx.TransportError as exc:
            return _failed(parts, transport_failure(service, exc))
    return Receipt(ok=True, remote_id=parts[0] if parts else None, parts=tuple(parts))


def _failed(parts: list[str], failure: ApiFailure) -> Receipt:
    return Receipt(
        ok=False,
        remote_id=parts[0] if parts else None,
        error=failure.error,
        temporary=failure.temporary,
        retry_at=failure.retry_at,
        parts=tuple(parts),
    )


def not_configured(variables: list[str]) -> Receipt:
    """A permanent failure for a live channel without its settings, naming the variables."""
    return Receipt(ok=False, error=f"not configured: set {' and '.join(variables)}")


def delivery_key(snippet: Snippet) -> str:
    """The snippet's delivery key, or a stable one derived from its content."""
    if snippet.key:
        return snippet.key
    digest = hashlib.sha256("\n".join((snippet.link, *snippet.texts)).encode()).hexdigest()
    return f"{snippet.platform}-{digest[:16]}"


class HttpSocialChannel(Described):
    """Shared set-up of the HTTP social channels: settings, client, clock.

    In outbox mode (DISTRIBUTOR_SOCIAL_CHANNEL=outbox) the client's transport is the outbox, so
    a channel posts the same way in both modes and an unconfigured one still shows its posts.
    """

    service = "API"

    def __init__(
        self,
        settings: Settings,
        client: httpx.Client | None = None,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.outbox = settings.social_channel == "outbox"
        self._own_client = client is None
        if client is None and self.outbox:
            client = outbox_client(settings.outbox_dir, self.missing_settings(settings))
        self.client = client if client is not None else httpx.Client(timeout=TIMEOUT)
        self.now = now

    def unconfigured(self) -> Receipt | None:
        """The permanent failure of a live channel that lacks settings; None when it may post."""
        missing = self.missing_settings(self.settings)
        return not_configured(missing) if missing and not self.outbox else None

    def close(self) -> None:
        """Release the HTTP connections this channel opened itself."""
        if self._own_client:
            self.client.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        key: str,
        index: int,
        headers: dict[str, str],
        json: Any,
    ) -> httpx.Response:
        """Send one post request (thread item `index` of delivery `key`) and check the answer."""
        note = outbox_note(key, index, headers)
        response = self.client.request(method, url, headers=headers, json=json, extensions=note)
        check(self.service, response, self.now())
        return response
