"""Signed values that expire: confirmation links and form tokens (itsdangerous, HMAC-SHA256).

The time a value was signed travels inside it, so a reader can refuse an old one (a 7-day
confirmation link) or one sent back too soon (a sign-up form filled faster than a person can).
`now` is passed in, never read from a clock here, so tests can sign in the past.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer


class InvalidSigned(ValueError):
    """A value not signed with this key and purpose (forged, altered or cut short)."""


class ExpiredSigned(InvalidSigned):
    """A value signed with this key and purpose, but longer ago than allowed."""


def _serializer(key: bytes, purpose: str, now: datetime) -> URLSafeTimedSerializer:
    stamp = int(now.timestamp())

    class _SignerAt(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    return URLSafeTimedSerializer(
        key,
        salt=f"distributor.{purpose}",
        signer=_SignerAt,
        signer_kwargs={"digest_method": hashlib.sha256},
    )


def sign(key: bytes, purpose: str, payload: Any, now: datetime) -> str:
    """A URL-safe token carrying `payload` and the time it was signed."""
    return _serializer(key, purpose, now).dumps(payload)


def unsign(
    key: bytes, purpose: str, token: str, now: datetime, max_age_s: float | None = None
) -> tuple[Any, datetime]:
    """The payload and signing time of a token; ExpiredSigned when older than max_age_s."""
    serializer = _serializer(key, purpose, now)
    try:
        payload, signed_at = serializer.loads(token, max_age=max_age_s, return_timestamp=True)
    except SignatureExpired as exc:
        raise ExpiredSigned(f"this {purpose} link has expired") from exc
    except (BadSignature, UnicodeDecodeError, ValueError) as exc:
        raise InvalidSigned(f"this {purpose} link is not valid") from exc
    return payload, signed_at.astimezone(UTC)


def digest(token: str) -> str:
    """A short one-way fingerprint of a token, to store or compare without keeping the token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
