"""The SMTP channel against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import ssl
import subprocess
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult
from pydantic import SecretStr

from distributor.channels.smtp import SmtpChannel
from distributor.config import Settings
from distributor.model import Message, Recipient
from tests.newsletter_samples import compiled_sample, sample_message
from tests.smtpserver import RecordingHandler, SmtpServer, free_port


@pytest.fixture(scope="module")
def compiled():
    return compiled_sample()


def batch(compiled, *locals_: str) -> list[Message]:
    """One message per local part, to <local>@example.org."""
    return [
        sample_message(compiled, Recipient(f"{local}@example.org", local.title()), number)
        for number, local in enumerate(locals_, start=1)
    ]


def send_all(channel: SmtpChannel, messages: list[Message]):
    try:
        return [channel.send(message) for message in messages]
    finally:
        channel.close()


def test_a_batch_arrives_complete_over_one_connection(compiled):
    messages = batch(compiled, "ann", "bert", "chris")
    with SmtpServer() as server:
        receipts = send_all(SmtpChannel("127.0.0.1", server.port), messages)
    received = server.handler.received
    assert [r.ok for r in receipts] == [True, True, True]
    assert [r.remote_id for r in receipts] == [f"2.0.0 Ok: queued as Q{n}" for n in (1, 2, 3)]
    assert [r.data for r in received] == [m.raw for m in messages]
    assert [r.recipients for r in received] == [[m.to] for m in messages]
    assert {r.sender for r in received} == {"nieuwsbrief@praktijk.example"}
    assert {r.connection for r in received} == {1}


def test_a_delivered_message_parses_back_with_both_parts_and_its_headers(compiled):
    message = batch(compiled, "ann")[0]
    with SmtpServer() as server:
        send_all(SmtpChannel("127.0.0.1", server.port), [message])
    parsed = message_from_bytes(server.handler.received[0].data, policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    types = [part.get_content_type() for part in parsed.iter_parts()]
    assert types == ["text/plain", "text/html"]
    assert parsed["From"] == "Kinesitherapie Willems <nieuwsbrief@praktijk.example>"
    assert parsed["To"] == "Ann <ann@example.org>"
    assert parsed["Reply-To"] == "info@praktijk.example"
    assert parsed["Message-ID"] == "<d1-c7@praktijk.example>"
    assert parsed["List-Unsubscribe"] == "<https://nieuws.praktijk.example/u/tok-1>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Date"].datetime.year == 2026
    assert "Dag Ann," in parsed.get_body(("html",)).get_content()
    assert "Dag Ann," in parsed.get_body(("plain",)).get_content()


def test_replies_per_recipient_map_to_temporary_and_permanent_receipts(compiled):
    handler = RecordingHandler(
        replies={
            "busy@example.org": "450 4.2.1 Mailbox busy, try later",
            "gone@example.org": "550 5.1.1 No such user here",
            "closing@example.org": "421 4.3.2 Service shutting down",
        }
    )
    messages = batch(compiled, "ann", "busy", "gone", "bert", "closing", "chris")
    with SmtpServer(handler) as server:
        receipts = send_all(SmtpChannel("127.0.0.1", server.port), messages)
    outcome = [(r.ok, r.temporary) for r in receipts]
    assert outcome == [
        (True, False),
        (False, True),
        (False, False),
        (True, False),
        (False, True),
        (True, False),
    ]
    assert "450 4.2.1 Mailbox busy, try later" in receipts[1].error
    assert "550 5.1.1 No such user here" in receipts[2].error
    assert receipts[2].permanent
    assert "421 4.3.2 Service shutting down" in receipts[4].error
    delivered = [r.recipients[0] for r in handler.received]
    assert delivered == ["ann@example.org", "bert@example.org", "chris@example.org"]


def test_a_connection_dropped_between_messages_is_reopened_and_nothing_is_lost(compiled):
    handler = RecordingHandler(drop_at_mail={3})
    messages = batch(compiled, "ann", "bert", "chris", "dirk")
    with SmtpServer(handler) as server:
        receipts = send_all(SmtpChannel("127.0.0.1", server.port), messages)
    assert [r.ok for r in receipts] == [True, True, True, True]
    assert [r.data for r in handler.received] == [m.raw for m in messages]
    assert [r.connection for r in handler.received] == [1, 1, 2, 2]


def test_a_connection_dropped_during_data_is_a_temporary_failure_and_the_batch_goes_on(compiled):
    handler = RecordingHandler(drop_in_data={"bert@example.org"})
    messages = batch(compiled, "ann", "bert", "chris")
    with SmtpServer(handler) as server:
        receipts = send_all(SmtpChannel("127.0.0.1", server.port), messages)
    assert [(r.ok, r.temporary) for r in receipts] == [(True, False), (False, True), (True, False)]
    assert "connection lost" in receipts[1].error
    assert [r.recipients[0] for r in handler.received] == ["ann@example.org", "chris@example.org"]


def test_a_server_that_is_down_gives_temporary_receipts_for_every_message(compiled):
    channel = SmtpChannel("127.0.0.1", free_port(), timeout=5)
    receipts = send_all(channel, batch(compiled, "ann", "bert"))
    assert all(not r.ok and r.temporary for r in receipts)
    assert all("cannot connect to 127.0.0.1" in r.error for r in receipts)


def test_bad_addresses_are_refused_before_anything_is_sent(compiled):
    good = batch(compiled, "ann")[0]
    bad = Message(good.sender, "ann@@example", good.raw, good.message_id, "d9-c7")
    with SmtpServer() as server:
        receipts = send_all(SmtpChannel("127.0.0.1", server.port), [bad])
    assert receipts[0].permanent
    assert "refused before sending 'ann@@example'" in receipts[0].error
    assert server.handler.mail_commands == 0


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = auth_data.login == b"praktijk" and auth_data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)


def test_starttls_and_login_come_from_settings(compiled, certificate):
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    options = {"tls_context": server_context, "require_starttls": True}
    options |= {"authenticator": authenticator, "auth_require_tls": True}
    with SmtpServer(**options) as server:
        settings = Settings(
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_tls="starttls",
            smtp_user="praktijk",
            smtp_password="s3cret",
        )
        channel = SmtpChannel.from_settings(settings)
        channel.ssl_context = ssl.create_default_context(cafile=str(cert))
        receipts = send_all(channel, batch(compiled, "ann"))
        wrong = SmtpChannel.from_settings(
            settings.model_copy(update={"smtp_password": SecretStr("wrong")})
        )
        wrong.ssl_context = channel.ssl_context
        refused = send_all(wrong, batch(compiled, "bert"))
    assert receipts[0].ok
    assert [r.recipients for r in server.handler.received] == [["ann@example.org"]]
    assert refused[0].temporary and "login refused" in refused[0].error
    assert "s3cret" not in repr(channel)


def test_implicit_tls_is_used_when_configured(compiled, certificate):
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    with SmtpServer(ssl_context=server_context) as server:
        settings = Settings(smtp_host="127.0.0.1", smtp_port=server.port, smtp_tls="tls")
        channel = SmtpChannel.from_settings(settings)
        channel.ssl_context = ssl.create_default_context(cafile=str(cert))
        receipts = send_all(channel, batch(compiled, "ann", "bert"))
        plain = send_all(SmtpChannel("127.0.0.1", server.port, timeout=1), batch(compiled, "x"))
    assert [r.ok for r in receipts] == [True, True]
    assert [r.connection for r in server.handler.received] == [1, 1]
    assert plain[0].temporary and not plain[0].ok
