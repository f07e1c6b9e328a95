"""The SMTP channel's path to the wire: no TLS context unless TLS is used, and the message bytes
sent as they are when they are already dot-safe (smtplib's own escaping pass skipped)."""

from __future__ import annotations

import ssl

import pytest

from distributor.channels import smtp as smtp_module
from distributor.channels.smtp import SmtpChannel, is_dot_safe
from distributor.model import Message
from tests.newsletter_samples import compiled_sample, sample_message
from tests.smtpserver import SmtpServer


def message(raw: bytes, to: str = "ann@example.org") -> Message:
    return Message(sender="nieuwsbrief@praktijk.example", to=to, raw=raw, message_id="<m@x>")


def test_plain_smtp_never_builds_a_tls_context(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a TLS context was built for a plain connection")

    monkeypatch.setattr(ssl, "create_default_context", refuse)
    with SmtpServer() as server:
        channel = SmtpChannel("127.0.0.1", server.port)
        assert channel.send(message(b"Subject: a\r\n\r\nbody\r\n")).ok
        channel.close()


def test_tls_channels_share_one_context_per_process():
    first = SmtpChannel("127.0.0.1", 1, security="starttls").ssl_context
    assert SmtpChannel("127.0.0.1", 1, security="tls").ssl_context is first


def test_the_newsletter_is_dot_safe_so_smtplib_does_not_rewrite_it(monkeypatch):
    raw = sample_message(compiled_sample()).raw
    assert is_dot_safe(raw)
    calls = []
    monkeypatch.setattr(smtp_module.smtplib, "_quote_periods", lambda b: calls.append(b) or b)
    with SmtpServer() as server:
        channel = SmtpChannel("127.0.0.1", server.port)
        assert channel.send(message(raw)).ok
        channel.close()
    assert calls == []
    assert server.handler.received[0].data == raw


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: dots\r\n\r\n.a line starting with a dot\r\n..two\r\n",
        b"Subject: bare\n\nbare line feeds\n",
        b".Subject: leading dot\r\n\r\nx",
    ],
)
def test_other_messages_still_arrive_intact_through_smtplibs_escaping(raw):
    assert not is_dot_safe(raw)
    with SmtpServer() as server:
        channel = SmtpChannel("127.0.0.1", server.port)
        assert channel.send(message(raw)).ok
        channel.close()
    received = server.handler.received[0].data
    assert received.replace(b"\r\n", b"\n").rstrip(b"\n") == raw.replace(b"\r\n", b"\n").rstrip(
        b"\n"
    )


def test_addresses_outside_the_stored_form_are_still_checked_in_full():
    with SmtpServer() as server:
        channel = SmtpChannel("127.0.0.1", server.port)
        receipt = channel.send(message(b"Subject: a\r\n\r\nb\r\n", to="Ann@@Example"))
        assert not receipt.ok and "refused before sending" in receipt.error
        assert channel.send(message(b"Subject: a\r\n\r\nb\r\n", to="Ann.Peeters@Example.org")).ok
        channel.close()
