"""The email outbox (embedded default): each message written as an .eml file instead of sent.

One file per message in `<outbox>/email/`, named by the delivery key, written to a temporary
file and renamed into place, so a reader never sees half a message and a resend of the same
delivery replaces its file rather than adding a second one. Any mail client opens them.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import ClassVar

from distributor.channels.base import Described
from distributor.config import Settings
from distributor.model import Message, Receipt, Snippet


def email_folder(outbox_dir: Path) -> Path:
    """The folder of emails inside the outbox."""
    return outbox_dir / "email"


def eml_file_name(message: Message) -> str:
    """The file name of a message: its delivery key (else Message-ID), made filesystem-safe."""
    stem = message.key or message.message_id.strip("<>")
    safe = re.sub(r"[^A-Za-z0-9_.@-]+", "_", stem).strip("._") or "message"
    return f"{safe}.eml"


class EmailOutbox(Described):
    """Writes each email as `<outbox>/email/<key>.eml`, atomically."""

    name: ClassVar[str] = "outbox"
    carries = "email"

    def __init__(self, outbox_dir: Path) -> None:
        self.folder = email_folder(Path(outbox_dir))

    @classmethod
    def from_settings(cls, settings: Settings) -> EmailOutbox:
        """The outbox inside the configured data folder."""
        return cls(settings.outbox_dir)

    def send(self, item: Message | Snippet) -> Receipt:
        """Write one message; the receipt's remote_id is the file's path."""
        if not isinstance(item, Message):
            return Receipt(ok=False, error="the email outbox takes email messages only")
        try:
            path = self.write(item)
        except OSError as exc:
            return Receipt(ok=False, error=f"cannot write to the outbox: {exc}", temporary=True)
        return Receipt(ok=True, remote_id=str(path))

    def write(self, message: Message) -> Path:
        """Write the message's exact bytes to its .eml file and return the path."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / eml_file_name(message)
        descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(message.raw)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def close(self) -> None:
        """Nothing to release: each message is its own file."""
