"""DKIM: the exact bytes sent are signed, one-click unsubscribe headers included, and verify."""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

import dkim
import pytest
from pydantic import SecretStr

from distributor.channels.smtp import SmtpChannel
from distributor.config import Settings
from distributor.errors import UserError
from distributor.newsletter_settings import dkim_key_from_settings
from distributor.render.dkim_signing import DkimKey
from tests.newsletter_samples import compiled_sample, sample_message
from tests.smtpserver import SmtpServer


@pytest.fixture(scope="module")
def rsa_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """A fresh 2048-bit RSA private key (PEM) and its DKIM TXT record."""
    key_path = tmp_path_factory.mktemp("dkim") / "private.pem"
    subprocess.run(
        ["openssl", "genrsa", "-traditional", "-out", str(key_path), "2048"],
        check=True,
        capture_output=True,
    )
    public_der = subprocess.run(
        ["openssl", "rsa", "-in", str(key_path), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public_der)
    return key_path.read_bytes(), record


def dns_stub(record: bytes):
    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        return record if name == b"mail2026._domainkey.praktijk.example." else None

    return lookup


def signed_message(private_key: bytes, number: int = 1):
    key = DkimKey(domain="praktijk.example", selector="mail2026", private_key=private_key)
    return sample_message(compiled_sample(), number=number, dkim=key)


def test_a_signed_message_verifies_and_covers_the_unsubscribe_headers(rsa_key):
    private_key, record = rsa_key
    raw = signed_message(private_key).raw
    assert raw.startswith(b"DKIM-Signature:")
    assert dkim.verify(raw, dnsfunc=dns_stub(record))
    unfolded = re.sub(rb"\r\n\s+", b"", raw.split(b"\r\n\r\n", 1)[0])
    signed = [h.strip() for h in re.search(rb"\bh=([^;]+);", unfolded).group(1).split(b":")]
    assert b"list-unsubscribe" in signed and b"list-unsubscribe-post" in signed
    assert {b"from", b"to", b"subject", b"date", b"message-id"} <= set(signed)


def test_changing_the_unsubscribe_link_after_signing_breaks_the_signature(rsa_key):
    private_key, record = rsa_key
    raw = signed_message(private_key).raw
    tampered = raw.replace(b"/u/tok-1>", b"/u/tok-2>", 1)
    assert tampered != raw
    assert not dkim.verify(tampered, dnsfunc=dns_stub(record))
    post_removed = raw.replace(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", b"")
    assert not dkim.verify(post_removed, dnsfunc=dns_stub(record))


def test_the_bytes_the_smtp_server_receives_still_verify(rsa_key):
    private_key, record = rsa_key
    messages = [signed_message(private_key, n) for n in (1, 2)]
    with SmtpServer() as server:
        channel = SmtpChannel("127.0.0.1", server.port)
        assert all(channel.send(m).ok for m in messages)
        channel.close()
    for received in server.handler.received:
        assert dkim.verify(received.data, dnsfunc=dns_stub(record))


def test_the_key_comes_from_settings_only_when_fully_configured(rsa_key, tmp_path: Path):
    private_key, _ = rsa_key
    assert dkim_key_from_settings(Settings(data_dir=tmp_path)) is None
    full = Settings(
        data_dir=tmp_path,
        dkim_domain="praktijk.example",
        dkim_selector="mail2026",
        dkim_private_key=private_key.decode(),
    )
    key = dkim_key_from_settings(full)
    assert key is not None and key.selector == "mail2026"
    assert "PRIVATE" not in repr(key)
    with pytest.raises(UserError, match="partly configured"):
        dkim_key_from_settings(Settings(data_dir=tmp_path, dkim_domain="praktijk.example"))
    with pytest.raises(UserError, match="not a PEM private key"):
        dkim_key_from_settings(full.model_copy(update={"dkim_private_key": SecretStr("abc")}))
