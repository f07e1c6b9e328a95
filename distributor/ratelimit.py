"""Rate limits per channel, shared by every worker: a sliding-window log.

`RedisRateLimiter` keeps the log in Redis (one sorted set per channel, updated by one Lua script
timed by the Redis server's clock), so any number of workers on any number of machines together
never exceed the limit in any window. `LocalRateLimiter` is the same rule inside one process for
the embedded default. Each limit carries a guard added to its period (a tenth of it, 50 ms to 1 s),
so that the time between taking a slot and the message reaching the provider (connection set-up,
network jitter) cannot make the provider see more than `count` in one of its windows.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from distributor.errors import UserError

UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*\.?\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class RateLimit:
    """At most `count` grants in any window of `period_s` seconds (plus `guard_s`)."""

    count: int
    period_s: float
    guard_s: float | None = None  # default: a tenth of the period, between 50 ms and 1 s

    @property
    def window_s(self) -> float:
        """The window actually enforced."""
        guard = (
            self.guard_s if self.guard_s is not None else min(1.0, max(0.05, self.period_s / 10))
        )
        return self.period_s + guard


def parse_rate(text: str) -> RateLimit:
    """Read a limit such as "50/s", "17/d", "600/m" or "10/5s"."""
    match = RATE.match(text)
    if not match or int(match.group(1)) < 1:
        raise UserError(
            f"not a rate limit: {text!r}",
            'Write a count per period, such as "50/s", "600/m" or "17/d".',
        )
    count, every, unit = match.groups()
    return RateLimit(int(count), float(every or 1) * UNITS[unit])


class RateLimiter(Protocol):
    """Grants or refuses one use of a limited resource."""

    def try_acquire(self, key: str, limit: RateLimit, cost: int = 1) -> float:
        """Take `cost` slots now: 0.0 when granted, else the seconds until they may free up."""
        ...


SLIDING_WINDOW = """
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000000 + tonumber(now_t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count + cost <= limit then
  for i = 1, cost do
    redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':' .. i)
  end
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
  return 0
end
local index = count + cost - limit - 1
local freed = redis.call('ZRANGE', KEYS[1], index, index, 'WITHSCORES')
return math.max(1, tonumber(freed[2]) + window - now)
"""


class RedisRateLimiter:
    """The sliding-window log in Redis, shared by all workers (times from the Redis server)."""

    def __init__(self, client: object, prefix: str = "distributor:") -> None:
        self.client = client
        self.prefix = prefix
        self.script = client.register_script(SLIDING_WINDOW)  # type: ignore[attr-defined]

    def try_acquire(self, key: str, limit: RateLimit, cost: int = 1) -> float:
        """Take `cost` slots now: 0.0 when granted, else the seconds until they may free up."""
        window_us = int(limit.window_s * 1_000_000)
        cost = min(max(cost, 1), limit.count)
        args = [limit.count, window_us, uuid.uuid4().hex, cost]
        wait_us = self.script(keys=[f"{self.prefix}rate:{key}"], args=args)
        return int(wait_us) / 1_000_000


class LocalRateLimiter:
    """The same sliding-window log inside one process (embedded default, single worker)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.logs: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def try_acquire(self, key: str, limit: RateLimit, cost: int = 1) -> float:
        """Take `cost` slots now: 0.0 when granted, else the seconds until they may free up."""
        cost = min(max(cost, 1), limit.count)
        with self.lock:
            now = self.clock()
            log = self.logs.setdefault(key, deque())
            while log and log[0] <= now - limit.window_s:
                log.popleft()
            if len(log) + cost <= limit.count:
                log.extend([now] * cost)
                return 0.0
            return max(log[len(log) + cost - limit.count - 1] + limit.window_s - now, 1e-6)


def acquire(
    limiter: RateLimiter,
    key: str,
    limit: RateLimit,
    max_wait_s: float,
    sleep: Callable[[float], None] = time.sleep,
    cost: int = 1,
) -> float:
    """Wait for `cost` slots up to `max_wait_s`: 0.0 when granted, else the seconds left to wait."""
    waited = 0.0
    while True:
        wait = limiter.try_acquire(key, limit, cost)
        if wait <= 0:
            return 0.0
        if waited + wait > max_wait_s:
            return wait
        sleep(wait)
        waited += wait
