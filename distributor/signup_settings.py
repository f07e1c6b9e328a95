"""Settings turned into the plain values sign-up needs: links, letterhead, consent texts, limits,
the email channel, and where the rate limits are kept (Redis when configured, else the database).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from distributor.config import Settings
from distributor.newsletter_settings import dkim_key_from_settings, practice_from_settings
from distributor.pipeline.consent import DEFAULT_CONSENT_TEXT
from distributor.pipeline.signup import SignupConfig
from distributor.pipeline.signup_limits import DatabaseRateLimiter
from distributor.ratelimit import RateLimiter, RedisRateLimiter, parse_rate
from distributor.render.i18n import SUPPORTED_LOCALES
from distributor.wiring import Wiring


def consent_texts(settings: Settings) -> dict[str, str]:
    """The consent text per language: DISTRIBUTOR_CONSENT_TEXT_<LANG>, else the default."""
    texts = {}
    for locale in SUPPORTED_LOCALES:
        own = getattr(settings, f"consent_text_{locale}", None)
        text = own or DEFAULT_CONSENT_TEXT[locale]
        texts[locale] = text.replace("{practice}", settings.practice_name)
    return texts


def signup_config(wiring: Wiring) -> SignupConfig:
    """What the sign-up pipeline needs, from the wiring's Settings."""
    settings = wiring.settings
    return SignupConfig(
        public_url=settings.public_url.rstrip("/"),
        letterhead=practice_from_settings(settings),
        dkim=dkim_key_from_settings(settings),
        welcome_email=settings.welcome_email,
        per_ip=parse_rate(settings.signup_rate_per_ip),
        consent_texts=consent_texts(settings),
        default_language=settings.default_language,
        open_email=lambda: wiring.open_channel("email"),
    )


def signup_limiter(
    settings: Settings, sessions: sessionmaker[Session], clock: Callable[[], datetime]
) -> RateLimiter:
    """Redis when DISTRIBUTOR_BROKER_URL is a Redis URL, the database otherwise."""
    url = settings.broker_url or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        return RedisRateLimiter(redis.Redis.from_url(url), prefix=settings.redis_prefix)
    return DatabaseRateLimiter(sessions, clock)
