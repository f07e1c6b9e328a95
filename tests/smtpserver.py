"""A real SMTP server on loopback (aiosmtpd in a thread) that records what it accepts.

Its handler can answer chosen recipients with a chosen reply ("450 4.2.1 Mailbox busy"),
and drop the connection at the start of a chosen message or in the middle of its DATA.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """One message the server accepted."""

    sender: str
    recipients: list[str]
    data: bytes
    connection: int


@dataclass
class RecordingHandler:
    """Accepts mail, except recipients listed in `replies`; drops where told to."""

    replies: dict[str, str] = field(default_factory=dict)  # recipient -> SMTP reply line
    drop_at_mail: set[int] = field(default_factory=set)  # 1-based MAIL commands to cut off
    drop_in_data: set[str] = field(default_factory=set)  # recipients whose DATA is cut off
    received: list[Received] = field(default_factory=list)
    mail_commands: int = 0
    connections: dict[int, int] = field(default_factory=dict)

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:
        self.mail_commands += 1
        self.connections.setdefault(id(session), len(self.connections) + 1)
        if self.mail_commands in self.drop_at_mail:
            server.transport.close()
            return "421 4.4.2 dropped"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.replies:
            return self.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if set(envelope.rcpt_tos) & self.drop_in_data:
            server.transport.close()
            return "451 4.3.0 dropped"
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.original_content,
                self.connections[id(session)],
            )
        )
        return f"250 2.0.0 Ok: queued as Q{len(self.received)}"


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 running in a thread until stopped."""

    def __init__(self, handler: Any | None = None, **controller_options: Any) -> None:
        self.handler = handler or RecordingHandler()
        self.port = free_port()
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, **controller_options
        )

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
