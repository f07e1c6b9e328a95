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
    """Bytes to text: valid UTF-8, else the declared charset, else windows-1252, else detected."""
    if not content:
        return ""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text.removeprefix("\ufeff")
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
