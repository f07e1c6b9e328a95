"""Low items on the channels: no SMTP login without TLS unless allowed; provider error bodies
stored as a short reason with tokens masked; a malformed DKIM key is a one-line error."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import pytest
from aiosmtpd.smtp import AuthResult

from distributor.channels.mastodon import Mastodon
from distributor.channels.smtp import SmtpChannel
from distributor.cli import main
from distributor.config import Settings
from distributor.model import Recipient
from distributor.retry import RetryPolicy, outcome_for
from tests.channels.conftest import fixed_now, live_settings, make_snippet
from tests.channels.fakes import Answer, FakeServer
from tests.newsletter_samples import compiled_sample, sample_message
from tests.smtpserver import SmtpServer

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class CountingAuthenticator:
    """Accepts praktijk/s3cret and counts the logins it saw (a password sent in the clear)."""

    def __init__(self) -> None:
        self.logins = 0

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        self.logins += 1
        ok = auth_data.login == b"praktijk" and auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)


def test_no_smtp_password_goes_over_a_connection_without_tls_unless_allowed():
    message = sample_message(compiled_sample(), Recipient("an@example.org", "An"))
    auth = CountingAuthenticator()
    options = {"authenticator": auth, "auth_require_tls": False}
    with SmtpServer(**options) as server:
        settings = Settings(
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_user="praktijk",
            smtp_password="s3cret",
        )
        refused = SmtpChannel.from_settings(settings).send(message)
        allowed_settings = settings.model_copy(update={"smtp_allow_plaintext_auth": True})
        allowed = SmtpChannel.from_settings(allowed_settings)
        sent = allowed.send(message)
        allowed.close()
    assert not refused.ok and not refused.temporary
    assert "DISTRIBUTOR_SMTP_ALLOW_PLAINTEXT_AUTH" in refused.error
    assert sent.ok and auth.logins == 1
    assert len(server.handler.received) == 1


def test_a_providers_error_body_is_stored_short_and_without_tokens(tmp_path):
    echo = (
        '{"error": "Validation failed: request was Authorization: Bearer '
        "sk_live_8f3a9c2e7d1b4f6a0e5c9b8d7a6f5e4d; access_token=AbC123xYz789QwErTy456 "
        + "padding " * 200
        + '"}'
    )
    server = FakeServer()
    server.route("POST", "/api/v1/statuses", lambda seen: Answer(422, echo.encode()))
    try:
        settings = live_settings(tmp_path, mastodon_url=server.url)
        receipt = Mastodon(settings, now=fixed_now).send(make_snippet("mastodon"))
    finally:
        server.stop()
    stored = outcome_for(receipt, 1, NOW, RetryPolicy(), "mastodon").error
    assert stored.startswith("Mastodon answered 422: Validation failed")
    assert len(stored) <= 300 and "\n" not in stored
    assert "sk_live_8f3a9c2e7d1b4f6a0e5c9b8d7a6f5e4d" not in stored
    assert "AbC123xYz789QwErTy456" not in stored


def test_a_malformed_dkim_key_is_a_one_line_error(monkeypatch, capsys, tmp_path, sample_post_path):
    key = "-----BEGIN PRIVATE KEY-----\\nnot really a key at all!\\n-----END PRIVATE KEY-----"
    monkeypatch.setenv("DISTRIBUTOR_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DISTRIBUTOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("DISTRIBUTOR_DKIM_DOMAIN", "praktijk.example")
    monkeypatch.setenv("DISTRIBUTOR_DKIM_SELECTOR", "mail")
    monkeypatch.setenv("DISTRIBUTOR_DKIM_PRIVATE_KEY", key)
    out = tmp_path / "preview"
    monkeypatch.setattr(
        sys, "argv", ["distributor", "preview", str(sample_post_path), "--out", str(out)]
    )
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "DISTRIBUTOR_DKIM_PRIVATE_KEY is not a readable RSA private key" in err
    assert "Traceback" not in err
