"""DKIM signatures over the exact bytes sent, covering the one-click unsubscribe headers."""

from __future__ import annotations

from dataclasses import dataclass

import dkim

# Gmail and Yahoo require List-Unsubscribe and List-Unsubscribe-Post under a valid signature;
# dkimpy's default list leaves out List-Unsubscribe-Post, so the list is explicit.
SIGNED_HEADERS = (
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"reply-to",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
    b"content-language",
)


@dataclass(frozen=True)
class DkimKey:
    """A signing domain, its selector and the PEM private key published under them."""

    domain: str
    selector: str
    private_key: bytes = b""

    def __repr__(self) -> str:
        return f"DkimKey(domain={self.domain!r}, selector={self.selector!r})"


def dkim_sign(raw: bytes, key: DkimKey) -> bytes:
    """The message with a DKIM-Signature header prepended (relaxed/simple, rsa-sha256)."""
    signature = dkim.sign(
        raw,
        key.selector.encode("ascii"),
        key.domain.encode("ascii"),
        key.private_key,
        include_headers=list(SIGNED_HEADERS),
    )
    return signature + raw


def dkim_key_parses(private_key: bytes) -> bool:
    """True when the PEM key can sign (dkimpy reads it); a malformed key is caught up front."""
    try:
        dkim_sign(
            b"From: check@example.org\r\nSubject: key\r\n\r\nkey check\r\n",
            DkimKey("example.org", "check", private_key),
        )
    except Exception:
        return False
    return True
