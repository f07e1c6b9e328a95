"""A campaign's email as a byte template: MIME built and encoded once, filled per recipient.

Serialising a fresh EmailMessage costs milliseconds for a 40 KB newsletter. Here the headers are
folded and both bodies are quoted-printable encoded once per campaign; a recipient's values are
encoded on their own and dropped between soft line breaks ("=" CRLF), which a decoder removes,
so every filled message is valid MIME that decodes to the template with the values in place.
"""

from __future__ import annotations

import binascii
import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.utils import formataddr
from html import escape
from typing import Literal

SlotKind = Literal["header", "text", "html"]
SOFT_BREAK = b"=\r\n"
QP_LINE = 76  # RFC 2045: encoded lines of at most 76 characters
_HEADER_POLICY = policy.SMTP.clone(refold_source="all")  # always encode non-ASCII


def slot(name: str, nonce: str = "") -> str:
    """The marker a template writes where a recipient's value goes.

    `nonce` makes markers content cannot contain: a hash of that very content (see
    `slot_nonce`), so a post titled "@@slot:to@@" stays text.
    """
    return f"@@slot{nonce}:{name}@@"


def slot_mark(nonce: str = "") -> re.Pattern[str]:
    """The pattern of the markers made with `nonce` (group 1: the slot name)."""
    return re.compile(rf"@@slot{re.escape(nonce)}:([a-z_]+)@@")


def slot_nonce(*content: str) -> str:
    """A marker nonce derived from all the content a template is rendered from."""
    digest = hashlib.sha256("\x00".join(content).encode("utf-8", "replace")).hexdigest()
    return f"-{digest[:20]}"


SLOT_MARK = slot_mark()


@dataclass(frozen=True)
class SlotRef:
    """A place in the template that takes one recipient value, encoded for its context."""

    name: str
    kind: SlotKind


Piece = bytes | SlotRef


@dataclass(frozen=True)
class MimeTemplate:
    """A multipart/alternative message as encoded bytes with per-recipient slots."""

    pieces: tuple[Piece, ...]
    slot_names: frozenset[str]
    body_prefix: bytes = b""  # the body's bytes before its first slot: the same for everyone

    def fill(self, values: dict[str, str]) -> bytes:
        """The message bytes with every slot replaced by its value (all slots required)."""
        missing = self.slot_names - values.keys()
        if missing:
            raise KeyError(f"missing values for slots: {sorted(missing)}")
        out: list[bytes] = []
        for piece in self.pieces:
            if isinstance(piece, bytes):
                out.append(piece)
            else:
                out.append(encode_value(values[piece.name], piece.kind))
        return b"".join(out)


def quoted_printable(text: str) -> bytes:
    """Text as quoted-printable bytes with CRLF line ends; a '.' starting a line is written =2E,
    so the message is dot-safe and SMTP can send it without another pass over its bytes."""
    encoded = binascii.b2a_qp(text.encode("utf-8"), istext=True)
    encoded = encoded.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if not encoded.startswith(b".") and b"\r\n." not in encoded:
        return encoded
    return b"\r\n".join(_dot_safe_line(line) for line in encoded.split(b"\r\n"))


def _dot_safe_line(line: bytes) -> bytes:
    """A quoted-printable line with its leading '.' written =2E, still at most 76 characters."""
    if not line.startswith(b"."):
        return line
    if len(line) + 2 <= QP_LINE:
        return b"=2E" + line[1:]
    pieces = []
    while line.startswith(b"."):  # "=2E" and a soft break per dot, then the rest of the line
        pieces.append(b"=2E=")
        line = line[1:]
    return b"\r\n".join([*pieces, line])


def encode_value(value: str, kind: SlotKind) -> bytes:
    """One recipient value encoded for where it goes (header text, text body, HTML body)."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"a per-recipient value may not contain a line break: {value!r}")
    if kind == "header":
        return value.encode("ascii")
    if not value:
        return b""
    if kind == "html":
        value = escape(value)
    return SOFT_BREAK + quoted_printable(value) + SOFT_BREAK


def header_line(name: str, value: str) -> bytes:
    """One header, folded and RFC 2047-encoded where needed, ending in CRLF."""
    return _HEADER_POLICY.fold(name, value).encode("ascii")


def mailbox(display_name: str, address: str) -> str:
    """An address with a display name ("Name <a@b>"), quoted or encoded as needed."""
    name = " ".join(display_name.split())
    username, _, domain = address.rpartition("@")
    return str(Address(display_name=name, username=username, domain=domain))


def recipient_header(display_name: str, address: str) -> str:
    """A To value for a recipient, already encoded to ASCII, on one line."""
    quick = formataddr((display_name, address), charset="utf-8")  # quotes or RFC 2047-encodes
    if "\n" not in quick and len(quick) < 900:
        return quick
    folded = header_line("To", mailbox(display_name[:200], address))
    return b" ".join(folded[4:].split(b"\r\n")).strip().decode("ascii")


def _body_pieces(text: str, kind: SlotKind, marker: re.Pattern[str]) -> list[Piece]:
    pieces: list[Piece] = []
    position = 0
    for match in marker.finditer(text):
        pieces.append(quoted_printable(text[position : match.start()]))
        pieces.append(SlotRef(match.group(1), kind))
        position = match.end()
    pieces.append(quoted_printable(text[position:]))
    return pieces


def _part_head(subtype: str) -> bytes:
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    ).encode("ascii")


def build_template(
    headers: list[tuple[str, str]], *, text: str, html: str, boundary: str, nonce: str = ""
) -> MimeTemplate:
    """The byte template of a multipart/alternative email.

    A header whose whole value is a slot marker (made with `nonce`) takes a recipient value
    (already ASCII); markers inside `text` and `html` take values encoded (and, in HTML,
    escaped) per recipient.
    """
    pattern = slot_mark(nonce)
    pieces: list[Piece] = []
    for name, value in headers:
        marker = pattern.fullmatch(value)
        if marker:
            pieces += [f"{name}: ".encode("ascii"), SlotRef(marker.group(1), "header"), b"\r\n"]
        else:
            pieces.append(header_line(name, value))
    pieces.append(
        "MIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n"
        f' boundary="{boundary}"\r\n'
        f"\r\n--{boundary}\r\n".encode("ascii")
    )
    pieces.append(_part_head("plain"))
    pieces += _body_pieces(text, "text", pattern)
    pieces.append(f"\r\n--{boundary}\r\n".encode("ascii"))
    pieces.append(_part_head("html"))
    pieces += _body_pieces(html, "html", pattern)
    pieces.append(f"\r\n--{boundary}--\r\n".encode("ascii"))
    merged = _merge_literals(pieces)
    names = frozenset(p.name for p in merged if isinstance(p, SlotRef))
    return MimeTemplate(pieces=tuple(merged), slot_names=names, body_prefix=_body_prefix(merged))


def _body_prefix(pieces: list[Piece]) -> bytes:
    """The constant bytes from the start of the body to its first per-recipient slot."""
    for index, piece in enumerate(pieces):
        if isinstance(piece, SlotRef) and piece.kind != "header":
            before = pieces[index - 1] if index else b""
            if isinstance(before, bytes) and b"\r\n\r\n" in before:
                return before.split(b"\r\n\r\n", 1)[1]
            return b""
    return b""


def _merge_literals(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, bytes) and merged and isinstance(merged[-1], bytes):
            merged[-1] += piece
        elif piece != b"":
            merged.append(piece)
    return merged
