"""Tokens naming one delivery, signed so a bounce or complaint cannot be forged for another.

A token is `d<delivery id>-<16 base32 letters of HMAC-SHA256>`, lower-case so it survives mail
systems that fold the case of local parts. It goes into the VERP return path
(bounces+<token>@example.be) and into the Message-ID, so a report that redacts the recipient
still names its delivery through the returned headers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

SIGNATURE_LETTERS = 16  # 80 bits
TOKEN_PATTERN = re.compile(
    rb"(?<![0-9a-z])d([0-9]{1,12})-([a-z2-7]{%d})(?![0-9a-z])" % SIGNATURE_LETTERS, re.IGNORECASE
)
MAX_CANDIDATES = 50  # tokens looked at per report (a hostile report may repeat many)


def _signature(key: bytes, delivery_id: int) -> str:
    mac = hmac.new(key, f"distributor.delivery:{delivery_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(mac).decode("ascii").lower()[:SIGNATURE_LETTERS]


def delivery_token(key: bytes, delivery_id: int) -> str:
    """The signed token naming this delivery."""
    return f"d{int(delivery_id)}-{_signature(key, delivery_id)}"


def verp_address(bounce_address: str, token: str) -> str:
    """bounces@example.be with the token after a '+': bounces+<token>@example.be."""
    local, at, domain = bounce_address.rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not an email address: {bounce_address!r}")
    return f"{local}+{token}@{domain}"


def delivery_ids_in(key: bytes, data: bytes) -> list[int]:
    """The deliveries that validly signed tokens in `data` name, first seen first."""
    found: list[int] = []
    for number, match in enumerate(TOKEN_PATTERN.finditer(data)):
        if number >= MAX_CANDIDATES:
            break
        delivery_id = int(match.group(1))
        expected = _signature(key, delivery_id).encode("ascii")
        if hmac.compare_digest(match.group(2).lower(), expected) and delivery_id not in found:
            found.append(delivery_id)
    return found
