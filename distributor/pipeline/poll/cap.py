"""A cap on how many posts one poll of one source announces as new (pure).

A feed that suddenly shows thousands of new items (a migrated blog, a hostile feed) would
otherwise plan a newsletter for each. The newest few stay new; the rest are recorded as already
there (baseline: never sent), and the source carries a warning for the admin.
"""

from __future__ import annotations

from datetime import UTC, datetime

from distributor.sources.versions import Comparison

MAX_NEW_PER_POLL = 5


def held_back(
    comparisons: list[Comparison], baselined: bool, cap: int, order: dict[str, int]
) -> tuple[set[str], str | None]:
    """GUIDs of the new posts beyond the newest `cap` (to record as baseline), and the warning."""
    fresh = [c.post for c in comparisons if c.verdict == "new"]
    if not baselined or len(fresh) <= cap:
        return set(), None
    oldest = datetime.min.replace(tzinfo=UTC)

    def newest_first(post: object) -> tuple[float, int]:
        published = getattr(post, "published", None) or oldest
        published = published if published.tzinfo else published.replace(tzinfo=UTC)
        return -published.timestamp(), order.get(getattr(post, "guid", ""), 0)

    fresh.sort(key=newest_first)
    held = {post.guid for post in fresh[max(cap, 0) :]}
    warning = (
        f"{len(fresh)} new posts in one poll: the newest {max(cap, 0)} are new, {len(held)} "
        "were recorded as already there and will not be sent (DISTRIBUTOR_MAX_NEW_POSTS_PER_POLL)"
    )
    return held, warning
