"""Text from outside made safe to store and show: no controls, escapes or bidi overrides (pure).

PostgreSQL refuses NUL in text; a terminal obeys escape sequences; bidi overrides make a title
read differently from what it is. Text read from feeds, pages, files and CSV passes through here.
"""

from __future__ import annotations

import re

# ESC [ ... final byte (CSI), ESC ] ... BEL or ESC \ (OSC), and any other two-byte ESC sequence
_TERMINAL_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?")
# C0 controls other than tab, newline and carriage return; DEL; C1 controls (incl. the CSI byte)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069)
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_NOT_UTF16 = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BYTE_ESCAPE = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def without_controls(text: str) -> str:
    """Text with terminal escapes and control characters removed (tab and line ends kept)."""
    if not text:
        return text
    return _CONTROL.sub("", _TERMINAL_ESCAPE.sub("", text))


def safe_line(text: str) -> str:
    """A title-like value: no controls, no bidi overrides, whitespace collapsed to single spaces."""
    return " ".join(_BIDI_CONTROL.sub("", without_controls(text)).split())


def bytes_without_controls(content: bytes) -> bytes:
    """Document bytes without C0 control bytes (XML forbids them); UTF-16 text is left alone."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00\x00" in content[:64]:
        return content
    return _NOT_UTF16.sub(b"", _BYTE_ESCAPE.sub(b"", content))
