"""Retry rules: what a channel's Receipt means for a delivery row (pure, no I/O).

Temporary failures retry with exponential backoff and full jitter up to a limit, then fail
permanently with the reason; permanent failures are final at once. A hard bounce (a permanent
failure of an email address) also suppresses that address. Consecutive final failures pause a
campaign, so a wrong password or a dead list does not burn through every recipient.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from distributor.model import Receipt

# An SMTP reply that rejects the address itself (unknown user, bad mailbox, bad syntax):
# 550/551/553 or an enhanced status 5.1.x. Other permanent errors (auth, policy) are not bounces.
HARD_BOUNCE = re.compile(r"\b55[013]\b|\b5\.1\.\d+\b")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: backoff base and cap (seconds), attempt limit, pause threshold."""

    base_s: float = 30.0
    cap_s: float = 3600.0
    max_attempts: int = 8
    pause_after: int = 25  # consecutive final failures that pause the campaign


@dataclass(frozen=True)
class Outcome:
    """The new state of one delivery after one attempt."""

    state: str  # 'sent' | 'failed_temporary' | 'failed_permanent'
    error: str | None
    next_attempt_at: datetime | None
    remote_id: str | None = None
    suppress: bool = False  # a hard bounce: stop mailing this address
    parts: tuple[str, ...] = ()  # thread items already posted (resume after these)
    skipped: bool = False  # not attempted (e.g. unsubscribed since planning): no failure streak

    @property
    def final_failure(self) -> bool:
        """A failure that will not be retried."""
        return self.state == "failed_permanent"


def backoff_delay(attempts: int, policy: RetryPolicy, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `attempts`-th failure: full jitter over an exponential ceiling."""
    ceiling = min(policy.cap_s, policy.base_s * 2 ** max(attempts - 1, 0))
    rng = rng or random
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def outcome_for(
    receipt: Receipt,
    attempts: int,
    now: datetime,
    policy: RetryPolicy,
    channel_kind: str = "email",
    rng: random.Random | None = None,
) -> Outcome:
    """What to record after attempt number `attempts` (1-based) answered `receipt`."""
    if receipt.ok:
        return Outcome("sent", None, None, remote_id=receipt.remote_id, parts=receipt.parts)
    error = receipt.error or "failed without a reason"
    if receipt.temporary and attempts < policy.max_attempts:
        delay = timedelta(seconds=backoff_delay(attempts, policy, rng))
        retry_at = max(now + delay, receipt.retry_at or now)
        return Outcome("failed_temporary", error, retry_at, parts=receipt.parts)
    if receipt.temporary:
        error = f"gave up after {attempts} attempts: {error}"
        return Outcome("failed_permanent", error, None)
    bounce = channel_kind == "email" and is_hard_bounce(error)
    return Outcome("failed_permanent", error, None, suppress=bounce)


def is_hard_bounce(error: str) -> bool:
    """Whether a permanent email error says the address itself does not exist or is invalid."""
    return bool(HARD_BOUNCE.search(error))


def pause_reason(consecutive: int, last_error: str | None) -> str:
    """Why a campaign paused itself, in words an admin can act on."""
    return (
        f"paused after {consecutive} consecutive failed deliveries; last error: "
        f"{last_error or 'unknown'}. Fix the cause, then resume it with "
        "`distributor campaigns send ID`."
    )
