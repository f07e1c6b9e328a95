"""From settings to a working Sender: which channel class serves each campaign channel, with
which rate limits and retry policy. Shared by the Celery tasks and the embedded runner."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from distributor.channels import CHANNELS
from distributor.channels.base import Channel
from distributor.config import Settings
from distributor.errors import UserError
from distributor.pipeline.delivery.compose import Composer
from distributor.pipeline.delivery.send import Sender
from distributor.ratelimit import RateLimit, RateLimiter, parse_rate
from distributor.retry import RetryPolicy


def open_channel(name: str, settings: Settings) -> Channel:
    """The channel for a campaign channel name: "email" is SMTP or the outbox, per settings."""
    if name == "email":
        email = CHANNELS["smtp" if settings.email_channel == "smtp" else "outbox"]
        return email.from_settings(settings)
    if name not in CHANNELS:
        raise UserError(
            f"unknown channel {name!r}",
            f"Use one of: email, {', '.join(sorted(set(CHANNELS) - {'smtp', 'outbox'}))}.",
        )
    return CHANNELS[name](settings)


def retry_policy(settings: Settings) -> RetryPolicy:
    """The retry and pause rules from DISTRIBUTOR_RETRY_* and _PAUSE_AFTER_FAILURES."""
    return RetryPolicy(
        base_s=settings.retry_base_s,
        cap_s=max(settings.retry_base_s, 3600.0),
        max_attempts=settings.retry_max_attempts,
        pause_after=settings.pause_after_failures,
    )


def rate_limits(settings: Settings) -> dict[str, RateLimit]:
    """Rate limits per campaign channel, from DISTRIBUTOR_RATE_LIMITS (JSON: {"email": "50/s"}).

    A channel writing to the local outbox has no provider to protect, so no limit.
    """
    limits = {name: parse_rate(text) for name, text in settings.rate_limits.items() if text}
    if settings.email_channel == "outbox":
        limits.pop("email", None)
    if settings.social_channel == "outbox":
        limits = {name: limit for name, limit in limits.items() if name == "email"}
    return limits


def composer_cache(settings: Settings, size: int = 4) -> Callable[[Session, int], Composer]:
    """Composers of the last few campaigns, so a worker compiles each newsletter once."""
    cache: OrderedDict[int, Composer] = OrderedDict()

    def open_composer(session: Session, campaign_id: int) -> Composer:
        if campaign_id not in cache:
            cache[campaign_id] = Composer(settings, session, campaign_id)
            while len(cache) > size:
                cache.popitem(last=False)
        cache.move_to_end(campaign_id)
        return cache[campaign_id]

    return open_composer


def make_sender(
    settings: Settings, sessions: sessionmaker[Session], limiter: RateLimiter
) -> Sender:
    """A Sender wired to the configured channels, limits and retry policy."""
    return Sender(
        sessions=sessions,
        open_channel=lambda name: open_channel(name, settings),
        open_composer=composer_cache(settings),
        limiter=limiter,
        limits=rate_limits(settings),
        policy=retry_policy(settings),
        batch_size=settings.send_batch_size,
        lease_s=settings.lease_s,
        record_every=max(1, settings.record_every),
    )
