"""Social snippets: a Digest and a platform's rules in, a thread of post texts out (pure).

The first post carries a hook (title, then as much of the summary as fits), the UTM-tagged link
and up to a few hashtags; on platforms with threads each highlight follows as a numbered reply
("1/5 …"). Every text fits the platform's limit as that platform counts it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import regex

from distributor.model import Digest, Snippet
from distributor.render.counting import (
    grapheme_count,
    linkedin_length,
    mastodon_length,
    normalise,
    x_length,
)
from distributor.render.fitting import fit
from distributor.render.links import tagged_post_link

PLATFORMS = ("x", "mastodon", "bluesky", "linkedin")
MAX_REPLIES = 10
DESCRIPTION_LENGTH = 300


@dataclass(frozen=True)
class PlatformRules:
    """What a platform allows: its limit, how it counts, threads, and how many hashtags."""

    name: str
    limit: int
    count: Callable[[str], int]
    threads: bool
    max_hashtags: int
    max_bytes: int | None = None  # a second limit in UTF-8 bytes (Bluesky: 3,000)

    def fits(self, text: str) -> bool:
        """Whether `text` is within this platform's limits."""
        if self.max_bytes is not None and len(text.encode("utf-8")) > self.max_bytes:
            return False
        return self.count(text) <= self.limit


X_RULES = PlatformRules("x", 280, x_length, threads=True, max_hashtags=2)
BLUESKY_RULES = PlatformRules(
    "bluesky", 300, grapheme_count, threads=True, max_hashtags=3, max_bytes=3000
)
LINKEDIN_RULES = PlatformRules("linkedin", 3000, linkedin_length, threads=False, max_hashtags=5)


def mastodon_rules(max_chars: int = 500) -> PlatformRules:
    """Mastodon's rules: the character limit is the instance's own."""
    return PlatformRules("mastodon", max_chars, mastodon_length, threads=True, max_hashtags=4)


def platform_rules(mastodon_max_chars: int = 500) -> dict[str, PlatformRules]:
    """The rules of every platform with a character limit (Mastodon's limit is per instance)."""
    return {
        "x": X_RULES,
        "mastodon": mastodon_rules(mastodon_max_chars),
        "bluesky": BLUESKY_RULES,
        "linkedin": LINKEDIN_RULES,
    }


def post_link(url: str, platform: str, digest: Digest) -> str:
    """The post's public URL tagged for one channel (utm_source is its name, medium social)."""
    campaign = campaign_slug(digest.slug or digest.title)
    return tagged_post_link(url, campaign=campaign, source=platform, medium="social")


def campaign_slug(text: str, max_length: int = 40) -> str:
    """A lowercase, hyphenated ASCII campaign name from a slug or title ("post" if none)."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    words = regex.findall(r"[a-z0-9]+", plain)
    slug = "-".join(words)
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug
        slug = slug[:max_length]
    return slug.strip("-") or "post"


def build_snippets(
    digest: Digest, url: str, rules: dict[str, PlatformRules] | None = None
) -> dict[str, Snippet]:
    """One Snippet per platform for a digest whose public URL is `url`."""
    rules = rules or platform_rules()
    return {name: build_snippet(digest, url, rule) for name, rule in rules.items()}


def build_snippet(digest: Digest, url: str, rules: PlatformRules) -> Snippet:
    """The thread of texts for one platform: first post with the link, then the highlights."""
    link = post_link(url, rules.name, digest)
    if rules.threads:
        texts = (first_post(digest, link, rules), *replies(digest, rules))
    else:
        texts = (single_post(digest, link, rules),)
    return Snippet(
        platform=rules.name,
        texts=texts,
        link=link,
        language=digest.language,
        title=normalise(digest.title).strip(),
        description=fit(normalise(digest.summary), lambda t: len(t) <= DESCRIPTION_LENGTH),
        image=digest.image,
    )


def first_post(digest: Digest, link: str, rules: PlatformRules) -> str:
    """Hook, link and as many hashtags as fit (dropping hashtags before cutting the hook)."""
    hook = hook_text(digest)
    tags = list(_hashtags(digest, rules.max_hashtags))
    while True:
        tail = "\n\n".join(part for part in (link, " ".join(tags)) if part)
        text = _with_tail(hook, tail, rules)
        if text is not None:
            return text
        if not tags:
            return link
        tags.pop()


def single_post(digest: Digest, link: str, rules: PlatformRules) -> str:
    """A one-post version (no threads): hook, the highlights as a numbered list, link, hashtags."""
    tips = [normalise(tip).strip() for tip in digest.highlights[:MAX_REPLIES] if tip.strip()]
    listed = "\n".join(f"{number}. {tip}" for number, tip in enumerate(tips, 1))
    body = "\n\n".join(part for part in (hook_text(digest), listed) if part)
    tags = " ".join(_hashtags(digest, rules.max_hashtags))
    text = _with_tail(body, "\n\n".join(part for part in (link, tags) if part), rules)
    return text if text is not None else first_post(digest, link, rules)


def replies(digest: Digest, rules: PlatformRules) -> list[str]:
    """One numbered reply per highlight ("1/5 …"), each cut to fit on its own."""
    tips = [normalise(tip).strip() for tip in digest.highlights if tip.strip()][:MAX_REPLIES]
    widest = f"{len(tips)}/{len(tips)} "
    bodies = [fit(tip, lambda t: rules.fits(widest + t)) for tip in tips]
    kept = [body for body in bodies if body]
    return [f"{number}/{len(kept)} {body}" for number, body in enumerate(kept, 1)]


def hook_text(digest: Digest) -> str:
    """The hook a first post opens with: the title, then the summary."""
    title = normalise(digest.title).strip()
    summary = normalise(digest.summary).strip()
    if summary and summary != title:
        return f"{title}\n\n{summary}" if title else summary
    return title


def _with_tail(body: str, tail: str, rules: PlatformRules) -> str | None:
    """`body` (cut as needed) followed by `tail`; None when not even the tail alone fits."""
    if not rules.fits(tail):
        return None
    head = fit(body, lambda t: rules.fits(f"{t}\n\n{tail}"))
    return f"{head}\n\n{tail}" if head else tail


def _hashtags(digest: Digest, limit: int) -> tuple[str, ...]:
    tags = []
    for tag in digest.hashtags:
        clean = normalise(tag).strip().lstrip("#").replace(" ", "")
        if clean and f"#{clean}" not in tags:
            tags.append(f"#{clean}")
    return tuple(tags[:limit])


def webhook_snippet(digest: Digest, url: str) -> Snippet:
    """The webhook's Snippet: title and link first, then every highlight (no length limit)."""
    link = post_link(url, "webhook", digest)
    title = normalise(digest.title).strip()
    tips = tuple(normalise(tip).strip() for tip in digest.highlights if tip.strip())
    return Snippet(
        platform="webhook",
        texts=(f"{title}\n\n{link}", *tips),
        link=link,
        language=digest.language,
        title=title,
        description=normalise(digest.summary).strip(),
        image=digest.image,
    )
