"""Item 2: compressed bodies decode one layer at most, incrementally, up to the 5 MB cap.

Memory is measured with tracemalloc: the peak of Python allocations while fetching, not a time.
"""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import brotli
import pytest

from distributor.sources.fetch import MAX_BYTES, FetchError, fetch
from tests.httpserver import Reply

BOMB_BYTES = 200_000_000  # zeros: 200 MB decoded from about 200 KB of gzip


def gzip_of_zeros(size: int) -> bytes:
    """A gzip stream of `size` zero bytes, made without holding them all."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1_000_000)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_of_zeros(BOMB_BYTES)


def peak_while(action) -> int:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_stacked_gzip_is_refused_before_anything_is_decoded(site, client, bomb):
    url = site.serve("/feed", Reply(200, gzip.compress(bomb), {"Content-Encoding": "gzip, gzip"}))
    with pytest.raises(FetchError, match=r"stacked compression \(gzip, gzip\) is refused"):
        fetch(url, client=client)


def test_a_single_gzip_bomb_stops_at_the_cap_without_decoding_the_rest(site, client, bomb):
    url = site.serve("/feed", Reply(200, bomb, {"Content-Encoding": "gzip"}))

    def attempt() -> None:
        with pytest.raises(FetchError, match="larger than 5 MB"):
            fetch(url, client=client)

    assert peak_while(attempt) < 4 * MAX_BYTES


def test_a_brotli_bomb_stops_at_the_cap_too(site, client):
    packed = brotli.compress(bytes(50_000_000), quality=5)
    url = site.serve("/feed", Reply(200, packed, {"Content-Encoding": "br"}))

    def attempt() -> None:
        with pytest.raises(FetchError, match="larger than 5 MB"):
            fetch(url, client=client)

    assert peak_while(attempt) < 4 * MAX_BYTES


def test_one_layer_of_each_coding_is_read(site, client):
    page = "<html><body><p>Knie en heup, één voor één.</p></body></html>".encode()
    for coding, body in (
        ("gzip", gzip.compress(page)),
        ("deflate", zlib.compress(page)),
        ("br", brotli.compress(page)),
    ):
        url = site.serve(f"/{coding}", Reply(200, body, {"Content-Encoding": coding}))
        assert fetch(url, client=client).content == page
