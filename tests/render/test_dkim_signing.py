"""DKIM at OpenSSL speed: RSA and Ed25519 signatures that dkimpy verifies, for every recipient."""

from __future__ import annotations

import dkim
import pytest

from distributor.dkim_keys import generate_key_pair, zone_line
from distributor.render.dkim_signing import DkimKey, DkimSigner, dkim_sign
from distributor.render.newsletter import personalise
from tests.newsletter_samples import NOW, READER, compiled_sample, links_for

DOMAIN = "praktijk.example"


@pytest.fixture(scope="module")
def keys() -> dict[str, tuple[DkimKey, bytes]]:
    """An RSA and an Ed25519 key, each with the TXT record a resolver would return."""
    rsa, ed = generate_key_pair("rsa"), generate_key_pair("ed25519")
    return {
        "rsa": (DkimKey(DOMAIN, "rsa2026", rsa.private_pem), rsa.record.encode()),
        "ed25519": (DkimKey(DOMAIN, "ed2026", ed.private_pem), ed.record.encode()),
    }


def stub_dns(keys):
    records = {f"{k.selector}._domainkey.{k.domain}.".encode(): r for k, r in keys.values()}

    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        return records.get(name)

    return lookup


def newsletter_for(number: int, dkim) -> bytes:
    recipient = READER.__class__(f"lezer{number}@example.org", f"Lezer {number}", "nl", number)
    return personalise(
        compiled_sample(),
        recipient,
        **links_for(number),
        message_id=f"<d{number}-c7@praktijk.example>",
        now=NOW,
        dkim=dkim,
    ).raw


def test_every_recipients_rsa_signature_verifies_with_dkimpy(keys):
    rsa_key = keys["rsa"][0]
    for number in range(1, 6):
        raw = newsletter_for(number, rsa_key)
        assert raw.startswith(b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple;")
        assert dkim.verify(raw, dnsfunc=stub_dns(keys)), number


def test_an_ed25519_signature_follows_the_rsa_one_and_both_verify(keys):
    raw = newsletter_for(3, (keys["rsa"][0], keys["ed25519"][0]))
    checker = dkim.DKIM(raw)
    assert checker.verify(idx=0, dnsfunc=stub_dns(keys))
    assert checker.verify(idx=1, dnsfunc=stub_dns(keys))
    assert raw.count(b"DKIM-Signature:") == 2
    assert b"a=ed25519-sha256" in raw.split(b"DKIM-Signature:")[2]


def test_a_changed_body_after_the_shared_prefix_breaks_the_signature(keys):
    raw = newsletter_for(2, keys["rsa"][0])
    assert dkim.verify(raw, dnsfunc=stub_dns(keys))
    tampered = raw.replace(b"Lezer 2", b"Lezer 9")
    assert tampered != raw
    assert not dkim.verify(tampered, dnsfunc=stub_dns(keys))


def test_the_feedback_id_and_unsubscribe_headers_are_signed(keys):
    raw = newsletter_for(1, keys["rsa"][0])
    signature = raw.split(b"\r\n\r\n", 1)[0].split(b"bh=")[0]
    for name in (b"feedback-id", b"list-unsubscribe", b"list-unsubscribe-post", b"from", b"to"):
        assert name in signature
    assert b"\r\nFeedback-ID: c7:newsletter:distributor:praktijk.example\r\n" in raw


def test_a_message_without_the_campaigns_prefix_is_hashed_whole_and_still_verifies(keys):
    message = (
        b"From: a@praktijk.example\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nHello\r\n\r\n\r\n"
    )
    signed = dkim_sign(message, keys["rsa"][0], body_prefix=b"Not this")
    assert dkim.verify(signed, dnsfunc=stub_dns(keys))


def test_a_signer_refuses_an_unusable_key():
    with pytest.raises(ValueError):
        DkimSigner(())


def test_the_zone_line_splits_long_records_into_dns_strings():
    record = generate_key_pair("rsa").record
    line = zone_line("mail", "praktijk.example", record)
    assert line.startswith("mail._domainkey.praktijk.example. IN TXT ( ")
    strings = [s for s in line.split('"')[1::2]]
    assert "".join(strings) == record and all(len(s) <= 255 for s in strings)
