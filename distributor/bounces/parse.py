"""A bounce (DSN) or complaint (ARF) report read into what happened to which delivery.

RFC 3464 delivery status notifications (Postfix, Gmail, Exchange Online and most modern MTAs)
are read field by field; older free-text formats (qmail's QSBMF, Exchange 5.5/2000, ...) are
recognised by flufl.bounce, Mailman's detectors, with the status code taken from the text.
RFC 5965 feedback reports are complaints. The delivery comes from our signed token, found in
the VERP address the report was sent to or in the returned headers (Return-Path, Message-ID),
since feedback loops often redact the recipient.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from typing import Literal

from flufl.bounce import all_failures

from distributor.delivery_tokens import delivery_ids_in

Kind = Literal["hard", "soft", "complaint", "delayed", "unknown"]
MAX_REPORT_BYTES = 1_000_000  # a report is a few KB; a longer one is read only this far
MAX_DIAGNOSTIC = 500
COMPLAINT_TYPES = {"abuse", "fraud", "virus", "other"}
STATUS = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
SMTP_REPLY = re.compile(r"(?<!\d)([45])\d\d(?:[ -]|$)")


@dataclass(frozen=True)
class FeedbackReport:
    """One report: its kind, about whom, the server's words, and the deliveries it names."""

    kind: Kind
    recipient: str
    status: str  # "5.1.1", or "" when the report gives none
    diagnostic: str
    delivery_ids: tuple[int, ...]
    report_key: str  # the same report imported twice has the same key


def parse_report(raw: bytes, key: bytes) -> FeedbackReport:
    """Read a bounce or complaint; `key` checks the delivery tokens inside."""
    raw = raw[:MAX_REPORT_BYTES]
    message = message_from_bytes(raw)
    ids = tuple(delivery_ids_in(key, raw + b"\n" + _decoded_parts(message)))
    report_key = hashlib.sha256(
        (message.get("Message-ID") or "").strip().encode() or raw
    ).hexdigest()
    kind, recipient, status, diagnostic = _read(message)
    return FeedbackReport(kind, recipient, status, _clip(diagnostic), ids, report_key)


def _read(message: Message) -> tuple[Kind, str, str, str]:
    """(kind, recipient, status, diagnostic) from the report's structure or its text."""
    report_type = (message.get_param("report-type") or "").lower()  # type: ignore[union-attr]
    if message.get_content_type() == "multipart/report" and report_type == "feedback-report":
        return _feedback(message)
    standard = _delivery_status(message)
    if standard is not None:
        return standard
    return _free_text(message)


def _feedback(message: Message) -> tuple[Kind, str, str, str]:
    """An ARF report (RFC 5965): a complaint unless it says the mail is not spam."""
    fields = _first_block(message, "message/feedback-report")
    feedback_type = (fields.get("Feedback-Type", "") if fields else "").strip().lower()
    recipient = _address(fields.get("Original-Rcpt-To", "")) if fields else ""
    agent = fields.get("User-Agent", "") if fields else ""
    kind: Kind = "complaint" if feedback_type in COMPLAINT_TYPES else "unknown"
    diagnostic = f"feedback report: {feedback_type or 'no type'}" + (f" ({agent})" if agent else "")
    return kind, recipient, "", diagnostic


def _delivery_status(message: Message) -> tuple[Kind, str, str, str] | None:
    """The worst recipient block of an RFC 3464 message/delivery-status part, if there is one."""
    blocks = _blocks(message, "message/delivery-status")
    recipients = [b for b in blocks[1:] if b.get("Action") or b.get("Status")]
    if not recipients:
        return None
    ranked = sorted(recipients, key=lambda b: _rank(str(b.get("Action", ""))))
    block = ranked[0]
    action = str(block.get("Action", "")).strip().lower()
    status_match = STATUS.search(str(block.get("Status", "")))
    diagnostic = _unfold(str(block.get("Diagnostic-Code", "")))
    diagnostic = re.sub(r"^\s*smtp\s*;\s*", "", diagnostic, flags=re.IGNORECASE)
    status = ".".join(status_match.groups()) if status_match else _status_in(diagnostic)
    recipient = _address(str(block.get("Final-Recipient") or block.get("Original-Recipient") or ""))
    if action == "delayed":
        return "delayed", recipient, status, diagnostic or "delivery delayed"
    if action in ("delivered", "relayed", "expanded"):
        return "unknown", recipient, status, diagnostic or action
    return _by_status(status, permanent=True), recipient, status, diagnostic or f"status {status}"


def _free_text(message: Message) -> tuple[Kind, str, str, str]:
    """A non-standard bounce: flufl.bounce finds the address, the text gives the code."""
    try:
        temporary, permanent = all_failures(message)
    except Exception:  # its heuristic detectors fail on some odd messages (yale.py IndexError)
        temporary, permanent = frozenset(), frozenset()
    addresses = sorted(permanent) or sorted(temporary)
    recipient = addresses[0].decode("ascii", "replace") if addresses else ""
    text = _body_text(message)
    line = _diagnostic_line(text, recipient)
    status = _status_in(line) or _status_in(text)
    if not addresses and not status:
        return "unknown", "", "", line or "not a bounce this program recognises"
    return _by_status(status, permanent=bool(permanent)), recipient, status, line


def _by_status(status: str, *, permanent: bool) -> Kind:
    if status.startswith("5"):
        return "hard"
    if status.startswith("4"):
        return "soft"
    return "hard" if permanent else "soft"


def _rank(action: str) -> int:
    return {"failed": 0, "delayed": 1}.get(action.strip().lower(), 2)


def _status_in(text: str) -> str:
    """An x.y.z status in the text, else one made from a bare SMTP reply code (550 -> 5.0.0)."""
    found = STATUS.search(text)
    if found:
        return ".".join(found.groups())
    reply = SMTP_REPLY.search(text)
    return f"{reply.group(1)}.0.0" if reply else ""


def _diagnostic_line(text: str, recipient: str) -> str:
    """The line that explains the failure: one with a status or reply code, near the address."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    start = next((i for i, line in enumerate(lines) if recipient and recipient in line), 0)
    for line in lines[start : start + 12] + lines[:start]:
        if STATUS.search(line) or SMTP_REPLY.search(line):
            return line
    return lines[start + 1] if start + 1 < len(lines) else ""


def _blocks(message: Message, content_type: str) -> list[Message]:
    """The header blocks of the first part of this type (message/* parts parse as messages)."""
    for part in message.walk():
        if part.get_content_type() == content_type:
            payload = part.get_payload()
            if isinstance(payload, list):
                return [block for block in payload if isinstance(block, Message)]
            if isinstance(payload, str):
                return [message_from_bytes(payload.encode("utf-8", "replace"))]
    return []


def _first_block(message: Message, content_type: str) -> Message | None:
    blocks = _blocks(message, content_type)
    return blocks[0] if blocks else None


def _body_text(message: Message) -> str:
    """The text of the report's own text parts (not of the returned message)."""
    texts: list[str] = []
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            break
        if part.get_content_maintype() == "text" and part.get_content_type() != "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                texts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(texts)


def _decoded_parts(message: Message) -> bytes:
    """Every leaf part decoded (a returned message may be base64 or quoted-printable)."""
    chunks: list[bytes] = []
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                chunks.append(payload[:MAX_REPORT_BYTES])
    return b"\n".join(chunks)[:MAX_REPORT_BYTES]


def _address(field: str) -> str:
    """The address of an RFC 3464/5965 field such as 'rfc822; reader@example.org'."""
    value = field.split(";", 1)[-1]
    return value.strip().strip("<>").strip()


def _unfold(value: str) -> str:
    return " ".join(value.split())


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_DIAGNOSTIC else text[: MAX_DIAGNOSTIC - 1] + "…"
