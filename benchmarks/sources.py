"""Sources cost against their baselines, measured in the same run.

    .venv/bin/python benchmarks/sources.py [--runs 15]

parse_article (one lxml parse, page meta, visible-text scan for a declared reading time,
trafilatura extraction, XML -> HTML) against trafilatura.bare_extraction alone with the same
options on the same page:
the demo English page, a 5 MB page and a page nested 10,000 levels deep. And fetch (streamed,
size cap, overall deadline, charset decoding) against a bare httpx `client.get` of the same
64 KB page from a loopback server.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from distributor.sources.article import EXTRACTION_OPTIONS, parse_article  # noqa: E402
from distributor.sources.fetch import fetch, make_client  # noqa: E402
from tests.httpserver import LocalServer, Reply  # noqa: E402

URL = "https://kinepraktijk-zuidpark.be/en/blog/shoulder-pain-at-the-desk"
PARAGRAPH = (
    "<p>Many runners feel pain around the kneecap when they build up their training too fast. "
    "It is usually harmless and recovery goes well once the load is adjusted for a while.</p>"
)


def median_ms(call: Callable[[], object], runs: int) -> float:
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def trafilatura_alone(page: str) -> object:
    return trafilatura.bare_extraction(page, url=URL, **EXTRACTION_OPTIONS)


def safe_parse(page: str) -> object:
    try:
        return parse_article(page, URL)
    except Exception as exc:  # report, never stop the benchmark
        return exc


def bench_parsing(runs: int) -> None:
    demo = (ROOT / "demo" / "posts" / "shoulder-pain-at-the-desk.html").read_text()
    big = "<html><body><article>" + PARAGRAPH * (5_000_000 // len(PARAGRAPH)) + "</article>"
    deep = "<html><body>" + "<div>" * 10_000 + PARAGRAPH * 8 + "</div>" * 10_000
    pages = [("demo page", demo, runs), ("5 MB page", big, 3), ("10,000 levels deep", deep, runs)]
    for name, page, count in pages:
        base = median_ms(lambda page=page: trafilatura_alone(page), count)
        ours = median_ms(lambda page=page: safe_parse(page), count)
        outcome = safe_parse(page)
        result = type(outcome).__name__ if isinstance(outcome, Exception) else "Post"
        print(
            f"{name:20s} {len(page):>10,} chars  trafilatura {base:8.1f} ms  "
            f"parse_article {ours:8.1f} ms  ratio {ours / base:4.2f}x  -> {result}"
        )


def bench_fetch(runs: int) -> None:
    server = LocalServer().start()
    body = ("<html><body>" + PARAGRAPH * 350 + "</body></html>").encode()
    url = server.serve("/page", Reply(200, body, {"Content-Type": "text/html; charset=utf-8"}))
    with make_client() as client:
        base = median_ms(lambda: client.get(url).text, runs * 4)
        ours = median_ms(lambda: fetch(url, client=client).text, runs * 4)
    server.stop()
    print(
        f"fetch {len(body):,} bytes on loopback: httpx get {base:6.2f} ms  "
        f"fetch {ours:6.2f} ms  ratio {ours / base:4.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    bench_parsing(runs)
    bench_fetch(runs)


if __name__ == "__main__":
    main()
