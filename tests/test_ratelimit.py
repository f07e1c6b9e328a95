"""Rate limits: at most `count` grants in any window, shared by all workers through Redis."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import redis

from distributor.errors import UserError
from distributor.ratelimit import (
    LocalRateLimiter,
    RateLimit,
    RedisRateLimiter,
    acquire,
    parse_rate,
)


@pytest.fixture
def client():
    connection = redis.Redis(host="127.0.0.1", port=6379, db=11)
    prefix = f"test-rl-{uuid.uuid4().hex[:8]}:"
    yield connection, prefix
    keys = list(connection.scan_iter(f"{prefix}*"))
    if keys:
        connection.delete(*keys)


def busiest_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + window) for i, start in enumerate(times))


def test_rates_are_read_from_count_per_period():
    assert parse_rate("50/s") == RateLimit(50, 1.0)
    assert parse_rate("17/d") == RateLimit(17, 86400.0)
    assert parse_rate("10/5s") == RateLimit(10, 5.0)
    with pytest.raises(UserError, match="not a rate limit"):
        parse_rate("fast")


def test_the_guard_is_a_tenth_of_the_period_within_bounds():
    assert RateLimit(50, 1.0).window_s == pytest.approx(1.1)
    assert RateLimit(17, 86400.0).window_s == pytest.approx(86401.0)
    assert RateLimit(5, 0.1).window_s == pytest.approx(0.15)


def test_the_local_limiter_refuses_past_the_count_and_says_how_long_to_wait():
    now = [100.0]
    limiter = LocalRateLimiter(clock=lambda: now[0])
    limit = RateLimit(3, 1.0, guard_s=0.0)
    assert [limiter.try_acquire("email", limit) for _ in range(3)] == [0.0, 0.0, 0.0]
    now[0] = 100.4
    assert limiter.try_acquire("email", limit) == pytest.approx(0.6)
    now[0] = 101.0
    assert limiter.try_acquire("email", limit) == 0.0
    assert limiter.try_acquire("x", limit) == 0.0  # each channel has its own log


def test_threads_sharing_the_redis_limiter_never_exceed_it_in_any_window(client):
    connection, prefix = client
    limit = RateLimit(20, 0.5, guard_s=0.02)
    granted: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        limiter = RedisRateLimiter(connection, prefix=prefix)  # one per worker, like processes
        for _ in range(20):
            assert acquire(limiter, "email", limit, max_wait_s=10) == 0.0
            with lock:
                granted.append(time.time())

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(granted) == 60
    assert busiest_window(granted, 0.5) <= 20


def test_acquire_gives_up_when_the_wait_is_longer_than_allowed(client):
    connection, prefix = client
    limiter = RedisRateLimiter(connection, prefix=prefix)
    daily = RateLimit(2, 86400.0)
    assert acquire(limiter, "x", daily, max_wait_s=1) == 0.0
    assert acquire(limiter, "x", daily, max_wait_s=1) == 0.0
    assert acquire(limiter, "x", daily, max_wait_s=1) > 86000


def test_a_thread_takes_one_slot_per_post_and_waits_for_enough_of_them(client):
    connection, prefix = client
    limiters = [RedisRateLimiter(connection, prefix=prefix), LocalRateLimiter()]
    daily = RateLimit(17, 86400.0)
    for limiter in limiters:
        assert limiter.try_acquire("x", daily, cost=8) == 0.0
        assert limiter.try_acquire("x", daily, cost=8) == 0.0
        assert limiter.try_acquire("x", daily, cost=2) > 86000  # only one slot left today
        assert limiter.try_acquire("x", daily, cost=1) == 0.0
