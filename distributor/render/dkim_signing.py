"""DKIM signatures over the exact bytes sent, at OpenSSL speed (pure: bytes and keys in, bytes out).

dkimpy's own RSA is pure Python (~6 ms a signature). Here dkimpy still supplies the rules (its
header parser, header selection and relaxed/simple canonicalisation), and the `cryptography`
package signs: RSA-SHA256 (RFC 6376) and, optionally, a second Ed25519-SHA256 signature (RFC 8463).
The body is hashed once per message; the part of the body before the first per-recipient value is
the same for every recipient, so its SHA-256 state is computed once per campaign and copied.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import dkim
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from dkim.canonicalization import Relaxed, Simple

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
    b"feedback-id",
    b"mime-version",
    b"content-type",
    b"content-language",
)
SIGNATURE_LINE = 72  # characters of base64 per folded line of b=
PREFIX_CACHE = 64  # campaigns' body prefixes kept per signer
HEADER_CACHE = 512  # canonical header lines kept per signer (most repeat for every recipient)


@dataclass(frozen=True)
class DkimKey:
    """A signing domain, its selector and the PEM private key published under them."""

    domain: str
    selector: str
    private_key: bytes = b""

    def __repr__(self) -> str:
        return f"DkimKey(domain={self.domain!r}, selector={self.selector!r})"


@dataclass
class _LoadedKey:
    """A DkimKey with its private key parsed once."""

    key: DkimKey
    secret: Any  # rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey
    algorithm: bytes = field(init=False)

    def __post_init__(self) -> None:
        if isinstance(self.secret, rsa.RSAPrivateKey):
            self.algorithm = b"rsa-sha256"
        elif isinstance(self.secret, ed25519.Ed25519PrivateKey):
            self.algorithm = b"ed25519-sha256"
        else:
            raise ValueError("a DKIM key must be RSA or Ed25519")

    def sign(self, data: bytes) -> bytes:
        """The raw signature of the canonical header data."""
        if self.algorithm == b"rsa-sha256":
            return self.secret.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return self.secret.sign(hashlib.sha256(data).digest())


class DkimSigner:
    """Signs messages with one or two keys (RSA first, then an optional Ed25519)."""

    def __init__(self, keys: Sequence[DkimKey]) -> None:
        if not keys:
            raise ValueError("a DKIM signer needs at least one key")
        self.keys = [
            _LoadedKey(key, serialization.load_pem_private_key(key.private_key, password=None))
            for key in keys
        ]
        self._prefix_states: dict[bytes, Any] = {}
        self._canonical_headers: dict[tuple[bytes, bytes], bytes] = {}

    def _canonical(self, name: bytes, value: bytes) -> bytes:
        """One header in relaxed canonical form; the campaign's constant headers are cached."""
        found = self._canonical_headers.get((name, value))
        if found is None:
            if len(self._canonical_headers) >= HEADER_CACHE:
                self._canonical_headers.clear()
            ((lower, canonical),) = Relaxed.canonicalize_headers([(name, value)])
            found = self._canonical_headers[(name, value)] = lower + b":" + canonical
        return found

    def sign(self, raw: bytes, body_prefix: bytes = b"") -> bytes:
        """The message with its DKIM-Signature header(s) prepended (relaxed/simple)."""
        end = raw.find(b"\r\n\r\n")
        if end < 0:
            raise ValueError("a message to sign needs a header, an empty line and a body")
        body_hash = self._body_hash(raw[end + 4 :], body_prefix)
        selected = dkim.select_headers(_parse_headers(raw[: end + 2]), SIGNED_HEADERS)
        names = b":".join(name.lower() for name, _ in selected)
        header_data = b"".join(self._canonical(name, value) for name, value in selected)
        signatures = [self._signature(k, names, body_hash, header_data) for k in self.keys]
        return b"".join(signatures) + raw

    def _body_hash(self, body: bytes, prefix: bytes) -> bytes:
        """SHA-256 of the simple-canonical body, continuing the campaign's prefix state."""
        if not body.endswith(b"\r\n") or body.endswith(b"\r\n\r\n"):
            return base64.b64encode(hashlib.sha256(Simple.canonicalize_body(body)).digest())
        if not prefix or not body.startswith(prefix):
            return base64.b64encode(hashlib.sha256(body).digest())
        state = self._prefix_states.get(prefix)
        if state is None:
            if len(self._prefix_states) >= PREFIX_CACHE:
                self._prefix_states.clear()
            state = self._prefix_states[prefix] = hashlib.sha256(prefix)
        hasher = state.copy()
        hasher.update(memoryview(body)[len(prefix) :])
        return base64.b64encode(hasher.digest())

    def _signature(
        self, loaded: _LoadedKey, names: bytes, body_hash: bytes, header_data: bytes
    ) -> bytes:
        """One folded DKIM-Signature header line, CRLF-terminated."""
        key = loaded.key
        value = (
            b" v=1; a=" + loaded.algorithm + b"; c=relaxed/simple; d=" + key.domain.encode("ascii")
            + b"; s=" + key.selector.encode("ascii") + b";\r\n h=" + names
            + b";\r\n bh=" + body_hash + b";\r\n b="
        )  # fmt: skip
        (name, canonical), *_ = Relaxed.canonicalize_headers([(b"DKIM-Signature", value)])
        signature = base64.b64encode(loaded.sign(header_data + name + b":" + canonical.rstrip()))
        folded = b"\r\n ".join(
            signature[i : i + SIGNATURE_LINE] for i in range(0, len(signature), SIGNATURE_LINE)
        )
        return b"DKIM-Signature:" + value + folded + b"\r\n"


def _parse_headers(head: bytes) -> list[tuple[bytes, bytes]]:
    """(name, value) pairs of a CRLF header block, continuation lines kept in the value."""
    headers: list[list[bytes]] = []
    for line in head.split(b"\r\n")[:-1]:
        if line[:1] in (b" ", b"\t") and headers:
            headers[-1][1] += line + b"\r\n"
            continue
        name, colon, value = line.partition(b":")
        if not colon or not name or b" " in name:
            raise ValueError(f"not a header line: {line[:60]!r}")
        headers.append([name, value + b"\r\n"])
    return [(name, value) for name, value in headers]


@lru_cache(maxsize=8)
def signer_for(keys: tuple[DkimKey, ...]) -> DkimSigner:
    """The signer of these keys, parsed once per process."""
    return DkimSigner(keys)


def dkim_sign(raw: bytes, key: DkimKey | tuple[DkimKey, ...], body_prefix: bytes = b"") -> bytes:
    """The message with a DKIM-Signature header per key prepended (relaxed/simple)."""
    keys = key if isinstance(key, tuple) else (key,)
    return signer_for(keys).sign(raw, body_prefix)


def dkim_key_parses(private_key: bytes) -> bool:
    """True when the PEM key is an RSA or Ed25519 private key that can sign."""
    try:
        DkimSigner([DkimKey("example.org", "check", private_key)])
    except (ValueError, TypeError):
        return False
    return True
