"""Bytes of a page or a post file -> text, tolerant of missing or wrong charset declarations."""

from __future__ import annotations

import re

import charset_normalizer

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
DETECTION_BYTES = 200_000  # enough of a document to tell its encoding
# The WHATWG Encoding standard's default for undeclared pages in Western European locales
# (nl, fr, en): detectors guess Central European code pages for accented Dutch and French.
FALLBACK_ENCODING = "windows-1252"


def decode_body(content: bytes, content_type: str = "") -> str:
    """Bytes to text: UTF-8 (a few bad bytes replaced), else the declared charset, else
    windows-1252, else detected."""
    if not content:
        return ""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text.removeprefix("\ufeff")
    if _meant_as_utf8(content, content_type):
        return content.decode("utf-8", errors="replace").removeprefix("\ufeff")
    for charset in (_http_charset(content_type), _document_charset(content)):
        if charset and charset.replace("-", "").lower() != "utf8":
            try:
                return content.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
    try:
        return content.decode(FALLBACK_ENCODING)
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(content[:DETECTION_BYTES]).best()
    if best is not None and best.encoding:
        return content.decode(best.encoding, errors="replace")
    return content.decode("utf-8", errors="replace")


def utf8_repaired(content: bytes, content_type: str = "") -> bytes:
    """UTF-8 bytes with their few invalid bytes replaced (U+FFFD), so a parser does not re-read
    the whole document as Latin-1; other encodings are returned as they are."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        if _meant_as_utf8(content, content_type):
            return content.decode("utf-8", errors="replace").encode("utf-8")
    return content


def _meant_as_utf8(content: bytes, content_type: str) -> bool:
    """Declared UTF-8, or undeclared with more valid multi-byte characters than bad bytes."""
    declared = _http_charset(content_type) or _document_charset(content)
    if declared:
        return declared.replace("-", "").replace("_", "").lower() == "utf8"
    text = content[:DETECTION_BYTES].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return sum(1 for ch in text if ch > "\x7f") - bad > bad


def _http_charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    return match.group(1) if match else None


def _document_charset(content: bytes) -> str | None:
    head = content[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")


def looks_binary(content: bytes) -> bool:
    """True for bytes that are not text (an image, a PDF, an archive, ...)."""
    head = content[:8192]
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        return True
    return len(_CONTROL.findall(head)) > max(2, len(head) // 100)
