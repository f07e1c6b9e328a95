"""The SMTP channel: one connection reused across a batch, a Receipt per recipient.

The SMTP transaction is done command by command (MAIL, RCPT, DATA) so the answer of each step
maps to the right Receipt: a 4xx reply or a lost connection is temporary (retry later), a 5xx
reply about this recipient or this message is permanent, both with the server's own words. A
reused connection the server closed while idle is reopened once, transparently, before any
part of the message was sent; a drop after DATA began is reported, never silently resent.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from typing import ClassVar, Literal

from distributor.addresses import address_problem
from distributor.channels.base import Described
from distributor.config import Settings
from distributor.model import Message, Receipt, Snippet

Security = Literal["none", "starttls", "tls"]
SERVICE_CLOSING = 421


class _ConnectionLost(Exception):
    """The connection broke; `before_data` says no part of the message had been sent."""

    def __init__(self, reason: str, *, before_data: bool) -> None:
        super().__init__(reason)
        self.before_data = before_data


class SmtpChannel(Described):
    """Sends email Messages over SMTP (plain, STARTTLS or TLS, with optional login)."""

    name: ClassVar[str] = "smtp"
    carries = "email"
    required = ("smtp_host",)

    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        security: Security = "none",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        local_hostname: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self._password = password
        self.timeout = timeout
        self.local_hostname = local_hostname
        self.ssl_context = ssl_context or ssl.create_default_context()
        self._connection: smtplib.SMTP | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpChannel:
        """The channel for DISTRIBUTOR_SMTP_HOST/PORT/TLS/USER/PASSWORD."""
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            security=settings.smtp_tls,
            username=settings.smtp_user,
            password=password,
        )

    def __repr__(self) -> str:
        return f"SmtpChannel({self.host!r}, {self.port}, security={self.security!r})"

    def send(self, item: Message | Snippet) -> Receipt:
        """Send one message to its one recipient, reusing the open connection."""
        if not isinstance(item, Message):
            return Receipt(ok=False, error="the SMTP channel sends email messages only")
        problem = address_problem(item.to)
        if problem:
            return Receipt(ok=False, error=f"refused before sending {item.to!r}: {problem}")
        for attempt in (1, 2):
            reused = self._connection is not None
            try:
                connection = self._connect()
            except (OSError, smtplib.SMTPException) as exc:
                self._drop()
                return Receipt(ok=False, temporary=True, error=self._connect_error(exc))
            try:
                return self._transact(connection, item, retry_allowed=reused and attempt == 1)
            except _ConnectionLost as lost:
                self._drop()
                if reused and lost.before_data and attempt == 1:
                    continue
                return Receipt(ok=False, temporary=True, error=f"connection lost: {lost}")
        return Receipt(ok=False, temporary=True, error="connection lost twice")  # pragma: no cover

    def close(self) -> None:
        """Say QUIT and close the connection kept across the batch."""
        if self._connection is None:
            return
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self._connection.quit()
        self._drop()

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        connection: smtplib.SMTP
        if self.security == "tls":
            connection = smtplib.SMTP_SSL(
                self.host,
                self.port,
                local_hostname=self.local_hostname,
                timeout=self.timeout,
                context=self.ssl_context,
            )
        else:
            connection = smtplib.SMTP(
                self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout
            )
        try:
            connection.ehlo()
            if self.security == "starttls":
                connection.starttls(context=self.ssl_context)
                connection.ehlo()
            if self.username:
                connection.login(self.username, self._password or "")
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _transact(
        self, connection: smtplib.SMTP, message: Message, *, retry_allowed: bool
    ) -> Receipt:
        stage = "sender"
        try:
            code, reply = connection.mail(message.sender)
            if code == SERVICE_CLOSING and retry_allowed:
                raise _ConnectionLost(_text(reply), before_data=True)
            if code != 250:
                return self._refused(connection, code, reply, stage)
            stage = "recipient"
            code, reply = connection.rcpt(message.to)
            if code not in (250, 251):
                return self._refused(connection, code, reply, stage)
            stage = "message"
            code, reply = connection.data(message.raw)
        except smtplib.SMTPDataError as exc:
            return self._refused(connection, exc.smtp_code, exc.smtp_error, stage)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            reason = str(exc) or type(exc).__name__
            raise _ConnectionLost(reason, before_data=stage == "sender") from exc
        if code != 250:
            return self._refused(connection, code, reply, stage)
        return Receipt(ok=True, remote_id=_text(reply) or message.message_id)

    def _refused(self, connection: smtplib.SMTP, code: int, reply: bytes, stage: str) -> Receipt:
        """A Receipt for a refusal, leaving the connection ready for the next message."""
        if code == SERVICE_CLOSING or code < 0:
            self._drop()
        else:
            try:
                connection.rset()
            except (OSError, smtplib.SMTPException):
                self._drop()
        temporary = not 500 <= code < 600 or stage == "sender"
        error = f"{code} {_text(reply)} (server refused the {stage})"
        return Receipt(ok=False, temporary=temporary, error=error)

    def _connect_error(self, exc: BaseException) -> str:
        where = f"{self.host}:{self.port}"
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return f"login refused by {where}: {exc.smtp_code} {_text(exc.smtp_error)}"
        if isinstance(exc, ssl.SSLError):
            return f"TLS with {where} failed: {exc}"
        return f"cannot connect to {where}: {exc}"

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(OSError):
                self._connection.close()
        self._connection = None


def _text(reply: bytes | str) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", errors="replace")
    return " ".join(reply.split())
