"""Rate limits on sign-up requests and confirmation emails, shared by every web process: in Redis
when a Redis URL is configured (ratelimit.RedisRateLimiter), else in the database (here)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from distributor.ratelimit import RateLimit
from distributor.store.tables import RateHit

CONFIRMATIONS_PER_ADDRESS = RateLimit(count=5, period_s=86_400.0, guard_s=0.0)  # per day
MAX_WINDOW = timedelta(days=8)  # hits older than this are forgotten (limits span up to a week)
PURGE_ONE_IN = 200


class DatabaseRateLimiter:
    """The sliding-window log as rows of `rate_hits` (used when no Redis is configured)."""

    def __init__(self, sessions: sessionmaker[Session], clock) -> None:
        self.sessions = sessions
        self.clock = clock

    def try_acquire(self, key: str, limit: RateLimit, cost: int = 1) -> float:
        """Take `cost` slots now: 0.0 when granted, else the seconds until one may free up."""
        now: datetime = self.clock()
        since = now - timedelta(seconds=limit.window_s)
        with self.sessions() as session, session.begin():
            if secrets.randbelow(PURGE_ONE_IN) == 0:  # now and then, forget expired hits
                session.execute(delete(RateHit).where(RateHit.at <= now - MAX_WINDOW))
            recent = (RateHit.key == key, RateHit.at > since)
            used, oldest = session.execute(
                select(func.count(), func.min(RateHit.at)).where(*recent)
            ).one()
            if (used or 0) + cost <= limit.count:
                session.add_all([RateHit(key=key, at=now) for _ in range(cost)])
                return 0.0
        return max((oldest - since).total_seconds(), 1e-3) if oldest else limit.window_s
