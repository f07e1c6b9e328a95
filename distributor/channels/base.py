"""The Channel protocol: the one small interface every delivery service implements."""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from distributor.model import Message, Receipt, Snippet


@runtime_checkable
class Channel(Protocol):
    """Delivers one item (an email Message or a social Snippet) and answers with a Receipt.

    A channel takes its settings (and, for HTTP services, an httpx client) in its constructor,
    so tests can point it at a local server. `send` is its only I/O; it never raises for a
    delivery failure: the Receipt says whether the failure is temporary or permanent.
    """

    name: ClassVar[str]

    def send(self, item: Message | Snippet) -> Receipt:
        """Deliver one item."""
        ...

    def close(self) -> None:
        """Release connections held across a batch."""
        ...
