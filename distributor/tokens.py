"""Signed tokens for the unsubscribe and preferences links: they name a subscriber and campaign.

A token is the pair (subscriber id, campaign id) signed with HMAC-SHA256 (itsdangerous), salted
by its purpose so an unsubscribe token cannot open the preferences page or the other way round.
Without the key a token can be neither forged nor guessed; one that was altered is refused.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from itsdangerous import BadSignature, URLSafeSerializer

from distributor.config import Settings

Purpose = Literal["unsubscribe", "preferences"]
KEY_FILE = "secret.key"
KEY_BYTES = 32


class InvalidToken(ValueError):
    """A token that was not made with this key and purpose (forged, altered or cut short)."""


@dataclass(frozen=True)
class TokenClaims:
    """Whom a valid token names."""

    subscriber_id: int
    campaign_id: str | None


@lru_cache(maxsize=32)
def _serializer(key: bytes, purpose: Purpose) -> URLSafeSerializer:
    return URLSafeSerializer(
        key, salt=f"distributor.{purpose}", signer_kwargs={"digest_method": hashlib.sha256}
    )


def make_token(
    key: bytes, subscriber_id: int, campaign_id: str | int | None, purpose: Purpose
) -> str:
    """A URL-safe signed token naming a subscriber and (optionally) a campaign."""
    campaign = None if campaign_id is None else str(campaign_id)
    return _serializer(key, purpose).dumps([int(subscriber_id), campaign])


def read_token(key: bytes, token: str, purpose: Purpose) -> TokenClaims:
    """The claims of a token made with this key and purpose; InvalidToken for any other."""
    try:
        payload = _serializer(key, purpose).loads(token)
    except BadSignature as exc:
        raise InvalidToken(f"this {purpose} link is not valid (altered or incomplete)") from exc
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not isinstance(payload[0], int)
        or not (payload[1] is None or isinstance(payload[1], str))
    ):
        raise InvalidToken(f"this {purpose} link does not name a subscriber")
    return TokenClaims(subscriber_id=payload[0], campaign_id=payload[1])


def unsubscribe_url(public_url: str, token: str) -> str:
    """The one-click unsubscribe URL (also used in List-Unsubscribe): {public_url}/u/{token}."""
    return f"{public_url.rstrip('/')}/u/{token}"


def preferences_url(public_url: str, token: str) -> str:
    """The preferences page URL: {public_url}/p/{token}."""
    return f"{public_url.rstrip('/')}/p/{token}"


def tracked_url(public_url: str, token: str) -> str:
    """A counted link: {public_url}/r/{token}, which redirects to the link's own URL."""
    return f"{public_url.rstrip('/')}/r/{token}"


def open_pixel_url(public_url: str, token: str) -> str:
    """The aggregate open-count image: {public_url}/o/{token}.gif."""
    return f"{public_url.rstrip('/')}/o/{token}.gif"


def signing_key(settings: Settings) -> bytes:
    """DISTRIBUTOR_SECRET_KEY when set, else a random key kept in data_dir/secret.key (0600)."""
    if settings.secret_key is not None and settings.secret_key.get_secret_value():
        return settings.secret_key.get_secret_value().encode("utf-8")
    return _stored_key(Path(settings.data_dir) / KEY_FILE)


def _stored_key(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(KEY_BYTES).encode("ascii")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key + b"\n")
    try:
        os.link(temporary, path)  # atomic, and never replaces a key another process just made
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_bytes().strip()
