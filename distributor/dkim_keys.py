"""DKIM key pairs: a new private key (PEM) and the DNS TXT record that publishes its public half."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

Algorithm = Literal["rsa", "ed25519"]
TXT_STRING = 255  # a DNS TXT record holds strings of at most 255 bytes each


@dataclass(frozen=True)
class DkimKeyPair:
    """A private key to keep secret and the TXT record to publish at {selector}._domainkey."""

    private_pem: bytes
    record: str  # v=DKIM1; k=...; p=...

    def __repr__(self) -> str:
        return f"DkimKeyPair(record={self.record[:40]!r}...)"


def generate_key_pair(algorithm: Algorithm = "rsa", bits: int = 2048) -> DkimKeyPair:
    """A fresh key pair: RSA (2048 bits by default) or Ed25519 (RFC 8463)."""
    if algorithm == "ed25519":
        secret = ed25519.Ed25519PrivateKey.generate()
        public = secret.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
    else:
        secret = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        public = secret.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    pem = secret.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    record = f"v=DKIM1; k={algorithm}; p={base64.b64encode(public).decode('ascii')}"
    return DkimKeyPair(private_pem=pem, record=record)


def zone_line(selector: str, domain: str, record: str) -> str:
    """The record as a zone file line, split into quoted strings of at most 255 characters."""
    strings = " ".join(f'"{record[i : i + TXT_STRING]}"' for i in range(0, len(record), TXT_STRING))
    return f"{selector}._domainkey.{domain}. IN TXT ( {strings} )"
