"""Reports read from where bounces land: a Maildir folder, an mbox file, or an IMAP mailbox."""

from __future__ import annotations

import imaplib
import mailbox
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from distributor.errors import UserError

MAX_MESSAGE_BYTES = 1_000_000  # read per message; reports are small, the rest is not needed
MOVE_BATCH = 200


def local_messages(path: Path) -> Iterator[bytes]:
    """Each message of a Maildir folder (cur/new/tmp inside) or an mbox file, bounded in size."""
    if path.is_dir():
        if not (path / "cur").is_dir() or not (path / "new").is_dir():
            raise UserError(
                f"{path} is a folder but not a Maildir (no cur/ and new/ inside)",
                "Give a Maildir folder or an mbox file.",
            )
        box: mailbox.Mailbox = mailbox.Maildir(path, factory=None, create=False)
    elif path.is_file():
        box = mailbox.mbox(path, create=False)
    else:
        raise UserError(f"{path} does not exist", "Give a Maildir folder or an mbox file.")
    try:
        for key in box.iterkeys():
            with box.get_file(key) as handle:
                yield handle.read(MAX_MESSAGE_BYTES)
    finally:
        box.close()


@dataclass(frozen=True)
class ImapLocation:
    """Where the bounce mailbox is: server, login, folder and the folder for processed mail."""

    host: str
    port: int
    tls: bool
    user: str
    password: str
    folder: str
    processed: str

    def __repr__(self) -> str:
        return f"ImapLocation({self.host!r}, {self.port}, user={self.user!r}, {self.folder!r})"


def imap_location(url: str) -> ImapLocation:
    """imaps://user:password@host[:port]/INBOX?processed=Processed (imap:// without TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise UserError(
            "DISTRIBUTOR_BOUNCE_IMAP_URL is not an IMAP URL with a user",
            "Write it as imaps://user:password@mail.example.be/INBOX?processed=Processed.",
        )
    tls = parts.scheme == "imaps"
    processed = parse_qs(parts.query).get("processed", ["Processed"])[0]
    return ImapLocation(
        host=parts.hostname,
        port=parts.port or (993 if tls else 143),
        tls=tls,
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        processed=processed,
    )


class ImapMailbox:
    """An IMAP folder read message by message; each is moved to the processed folder when done."""

    def __init__(self, location: ImapLocation, timeout: float = 30.0) -> None:
        self.location = location
        self.timeout = timeout
        self._imap: imaplib.IMAP4 | None = None
        self._done: list[bytes] = []

    def __enter__(self) -> ImapMailbox:
        where = self.location
        try:
            if where.tls:
                context = ssl.create_default_context()
                imap = imaplib.IMAP4_SSL(
                    where.host, where.port, ssl_context=context, timeout=self.timeout
                )
            else:
                imap = imaplib.IMAP4(where.host, where.port, timeout=self.timeout)
            imap.login(where.user, where.password)
            _check(imap.create(_quoted(where.processed)), "ALREADYEXISTS", "exists")
            _ok(imap.select(_quoted(where.folder)), f"cannot open folder {where.folder}")
        except (OSError, imaplib.IMAP4.error) as exc:
            raise UserError(
                f"cannot read the bounce mailbox at {where.host}:{where.port}: {exc}",
                "Check DISTRIBUTOR_BOUNCE_IMAP_URL (server, user, password, folder).",
            ) from None
        self._imap = imap
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._imap is None:
            return
        try:
            self._move_done()
            self._imap.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
        self._imap = None

    def messages(self, limit: int) -> Iterator[tuple[bytes, bytes]]:
        """(uid, first bytes of the message) for up to `limit` messages in the folder."""
        imap = self._connected()
        uids = _ok(imap.uid("SEARCH", "ALL"), "cannot list messages")[0].split()[:limit]
        for uid in uids:
            data = _ok(
                imap.uid("FETCH", uid, f"(BODY.PEEK[]<0.{MAX_MESSAGE_BYTES}>)"), "cannot fetch"
            )
            body = next((item[1] for item in data if isinstance(item, tuple)), b"")
            yield uid, body

    def processed(self, uid: bytes) -> None:
        """Mark a message to be moved to the processed folder (in batches, and on close)."""
        self._done.append(uid)
        if len(self._done) >= MOVE_BATCH:
            self._move_done()

    def _move_done(self) -> None:
        if not self._done:
            return
        imap, uids = self._connected(), b",".join(self._done)
        target = _quoted(self.location.processed)
        if "MOVE" in imap.capabilities:
            _ok(imap.uid("MOVE", uids, target), "cannot move processed messages")
        else:
            _ok(imap.uid("COPY", uids, target), "cannot copy processed messages")
            _ok(imap.uid("STORE", uids, "+FLAGS.SILENT", r"(\Deleted)"), "cannot flag messages")
            imap.expunge()
        self._done = []

    def _connected(self) -> imaplib.IMAP4:
        if self._imap is None:
            raise RuntimeError("use the mailbox inside a with block")
        return self._imap


def _quoted(name: str) -> str:
    if not re.fullmatch(r"[\w./ -]+", name):
        raise UserError(f"unusable IMAP folder name {name!r}", "Use letters, digits, '.', '/'.")
    return f'"{name}"'


def _ok(answer: tuple[str, list], what: str) -> list:
    status, data = answer
    if status != "OK":
        raise imaplib.IMAP4.error(f"{what}: {data!r}")
    return data


def _check(answer: tuple[str, list], *acceptable: str) -> None:
    status, data = answer
    text = repr(data)
    if status != "OK" and not any(word.lower() in text.lower() for word in acceptable):
        raise imaplib.IMAP4.error(f"cannot create the processed folder: {text}")
