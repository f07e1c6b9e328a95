"""Snippets per second: all four platforms (X, Mastodon, Bluesky, LinkedIn) for one digest.

Baselines in the same run: a platform-blind cut of the same texts (`textwrap.shorten` to each
limit, counting code points), i.e. what the exact counting and natural cutting cost on top; and
the same snippets counting X with twitter-text-parser's `parse_tweet` on every call (what the
emoji-free fast path in render/counting.py saves).
Run: .venv/bin/python benchmarks/snippets.py
"""

from __future__ import annotations

import platform
import statistics
import textwrap
import time
from dataclasses import replace
from pathlib import Path

from twitter_text import parse_tweet

from distributor.content.digest import build_digest
from distributor.model import Digest, Post
from distributor.render.snippets import build_snippets, platform_rules

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "rugpijn-hernia-kinesist.txt"
URL = "https://www.kine-praktijk.be/blog/rugpijn-hernia-kinesist"
LIMITS = {"x": 280, "mastodon": 500, "bluesky": 300, "linkedin": 3000}


def sample_digest() -> Digest:
    """The practice's real post as the content engineer's digest sees it."""
    body = SAMPLE.read_text(encoding="utf-8")
    return build_digest(Post(guid=URL, title="", body=body, body_format="text", url=URL))


def baseline(digest: Digest) -> dict[str, list[str]]:
    """Platform-blind: cut the hook and each tip to the limit in code points."""
    hook = f"{digest.title}\n\n{digest.summary}"
    return {
        name: [textwrap.shorten(hook, limit - 30) + " " + URL]
        + [textwrap.shorten(tip, limit) for tip in digest.highlights]
        for name, limit in LIMITS.items()
    }


def per_second(function, argument, seconds: float = 2.0) -> float:
    """Calls per second, the median of five rounds."""
    rates = []
    for _ in range(5):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 5:
            function(argument)
            count += 1
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> None:
    """Print the figures."""
    digest = sample_digest()
    rules = platform_rules()
    exact = per_second(lambda d: build_snippets(d, URL, rules), digest)
    naive = per_second(baseline, digest)
    package = dict(rules, x=replace(rules["x"], count=lambda t: parse_tweet(t).weightedLength))
    with_package = per_second(lambda d: build_snippets(d, URL, package), digest)
    snippets = build_snippets(digest, URL, rules)
    texts = sum(len(s.texts) for s in snippets.values())
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(f"digest: {len(digest.highlights)} highlights, {len(digest.summary)} chars of summary")
    print(f"texts per run: {texts} over {len(snippets)} platforms")
    print(f"snippets (all 4 platforms of one digest) per second: {exact:,.0f}")
    print(f"per run: {1000 / exact:.2f} ms")
    print(f"baseline textwrap.shorten (platform-blind) per second: {naive:,.0f}")
    print(f"ratio exact / baseline time: {naive / exact:.1f}x")
    print(f"same, X counted by parse_tweet on every call, per second: {with_package:,.0f}")
    print(f"speed-up of the emoji-free fast path: {exact / with_package:.1f}x")


if __name__ == "__main__":
    main()
