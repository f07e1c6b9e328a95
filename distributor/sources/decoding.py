"""Content-Encoding undone incrementally with a cap on the *decoded* bytes (pure).

At most one layer of gzip, deflate or br: a few kilobytes of stacked compression can expand to
gigabytes, so every step decodes only as much as the cap still allows.
"""

from __future__ import annotations

import zlib

import brotli

CODINGS = ("gzip", "deflate", "br")
ACCEPT_ENCODING = "gzip, deflate, br"


class DecodingError(ValueError):
    """The body cannot be decoded: a refused coding, corrupt data, or more than the cap."""


class TooLarge(DecodingError):
    """The decoded body grew past the cap."""


def codings_of(header: str) -> list[str]:
    """The codings a Content-Encoding header lists, in order ("identity" left out)."""
    names = [part.strip().lower() for part in header.split(",")]
    return [
        ("gzip" if name == "x-gzip" else name) for name in names if name not in ("", "identity")
    ]


class BoundedDecoder:
    """Decodes one body chunk by chunk, never holding more than `limit` decoded bytes."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = codings_of(content_encoding)
        if len(codings) > 1:
            raise DecodingError(f"stacked compression ({', '.join(codings)}) is refused")
        if codings and codings[0] not in CODINGS:
            raise DecodingError(f"unsupported compression {codings[0]!r}")
        self.coding = codings[0] if codings else ""
        self.limit = limit
        self.size = 0
        self._zlib: zlib._Decompress | None = None
        self._brotli = brotli.Decompressor() if self.coding == "br" else None

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes of the next raw chunk (TooLarge once past the cap)."""
        if not data:
            return b""
        if self.coding in ("gzip", "deflate"):
            out = self._inflate(data)
        elif self._brotli is not None:
            out = self._unbrotli(data)
        else:
            out = data
        self.size += len(out)
        if self.size > self.limit:
            raise TooLarge(f"more than {self.limit} bytes once decoded")
        return out

    def _room(self) -> int:
        return self.limit - self.size + 1

    def _inflate(self, data: bytes) -> bytes:
        if self._zlib is None:
            self._zlib = zlib.decompressobj(_wbits(self.coding, data))
        if self._zlib.eof:
            return b""  # data after the end of the stream (another gzip member) is ignored
        try:
            return self._zlib.decompress(data, self._room())
        except zlib.error as exc:
            raise DecodingError(f"corrupt {self.coding} data: {exc}") from exc

    def _unbrotli(self, data: bytes) -> bytes:
        assert self._brotli is not None
        try:
            out = self._brotli.process(data, output_buffer_limit=self._room())
            while len(out) < self._room() and not self._brotli.can_accept_more_data():
                out += self._brotli.process(b"", output_buffer_limit=self._room() - len(out))
        except brotli.error as exc:
            raise DecodingError(f"corrupt br data: {exc}") from exc
        return out


def _wbits(coding: str, first: bytes) -> int:
    if coding == "gzip":
        return 16 + zlib.MAX_WBITS
    zlib_header = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    return zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS
