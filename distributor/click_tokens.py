"""Signed tokens for counted links and the open pixel: they name a campaign, not a reader.

A link token signs (campaign, exact URL), so /r/{token} can only ever redirect to a URL that was
in that campaign's email. A reader who opted in to per-person statistics also carries a person
token (subscriber, campaign) in `?s=`; nobody else is identifiable from a click.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeSerializer

from distributor.tokens import InvalidToken

MAX_URL = 2000


@lru_cache(maxsize=32)
def _serializer(key: bytes, purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(
        key, salt=f"distributor.{purpose}", signer_kwargs={"digest_method": hashlib.sha256}
    )


@dataclass(frozen=True)
class TrackedLink:
    """What a valid link token names."""

    campaign_id: int
    url: str


def link_token(key: bytes, campaign_id: int | str, url: str) -> str:
    """The token of one link of one campaign."""
    return _serializer(key, "click").dumps([int(campaign_id), url])


def read_link_token(key: bytes, token: str) -> TrackedLink:
    """The campaign and URL of a valid link token; InvalidToken for anything else."""
    payload = _loads(key, "click", token)
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not isinstance(payload[0], int)
        or not isinstance(payload[1], str)
        or not is_web_url(payload[1])
    ):
        raise InvalidToken("this link does not name a campaign's web address")
    return TrackedLink(campaign_id=payload[0], url=payload[1])


def person_token(key: bytes, subscriber_id: int, campaign_id: int | str) -> str:
    """The token of a reader who opted in to per-person click statistics."""
    return _serializer(key, "click-person").dumps([int(subscriber_id), int(campaign_id)])


def read_person_token(key: bytes, token: str) -> tuple[int, int]:
    """(subscriber id, campaign id) of a valid person token."""
    payload = _loads(key, "click-person", token)
    if not (
        isinstance(payload, list) and len(payload) == 2 and all(type(v) is int for v in payload)
    ):
        raise InvalidToken("this link does not name a reader")
    return payload[0], payload[1]


def open_token(key: bytes, campaign_id: int | str) -> str:
    """The token of a campaign's open pixel."""
    return _serializer(key, "open").dumps(int(campaign_id))


def read_open_token(key: bytes, token: str) -> int:
    """The campaign of a valid open token."""
    payload = _loads(key, "open", token)
    if type(payload) is not int:
        raise InvalidToken("this pixel does not name a campaign")
    return payload


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL of sensible length (never javascript:, data:, //host, ...)."""
    if len(url) > MAX_URL or any(ord(c) < 33 for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _loads(key: bytes, purpose: str, token: str) -> object:
    if len(token) > 4 * MAX_URL:
        raise InvalidToken("this link is too long to be ours")
    try:
        return _serializer(key, purpose).loads(token)
    except (BadSignature, UnicodeDecodeError, ValueError) as exc:
        raise InvalidToken("this link is not valid (altered or incomplete)") from exc
