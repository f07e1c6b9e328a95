"""Settings -> the plain values and objects the rest needs: sessions, channels, letterhead,
compose and schedule settings, and how to start a send.

Entry points (cli/, web/, tasks.py, the demo) build Settings once and call this module; nothing
below them (sources/, content/, render/, channels/, pipeline/) builds Settings or reads the
environment. An unknown name in DISTRIBUTOR_CAMPAIGN_CHANNELS stops here, at start-up.
"""

from __future__ import annotations

import secrets
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from distributor.channels import CHANNELS, EMAIL, campaign_channel_names, social_channel_names
from distributor.channels.base import Channel
from distributor.config import Settings, load_settings
from distributor.errors import UserError
from distributor.newsletter_settings import dkim_keys_from_settings, practice_from_settings
from distributor.pipeline.delivery.compose import Composer, ComposeSettings
from distributor.pipeline.delivery.send import Sender
from distributor.pipeline.run import Schedule, TickReport, drain
from distributor.ratelimit import LocalRateLimiter, RateLimit, RateLimiter, parse_rate
from distributor.render.newsletter import PracticeInfo
from distributor.retry import RetryPolicy
from distributor.store.db import open_database, session_factory
from distributor.summary_ai import digest_builder
from distributor.tokens import signing_key

# How a send starts: given the sessions and a campaign id, a line saying what happened.
StartSend = Callable[[sessionmaker[Session], int], str]


def campaign_channels(settings: Settings) -> list[str]:
    """The channels a new campaign covers: DISTRIBUTOR_CAMPAIGN_CHANNELS, checked; by default
    email plus every social channel that can post (all of them while social goes to the outbox).
    """
    explicit = settings.campaign_channels
    if explicit:
        names = [name.strip().lower() for name in explicit.split(",") if name.strip()]
        valid = campaign_channel_names()
        unknown = [name for name in names if name not in valid]
        if unknown:
            raise UserError(
                f"unknown channel {', '.join(map(repr, unknown))} in "
                f"DISTRIBUTOR_CAMPAIGN_CHANNELS; valid names: {', '.join(valid)}"
            )
        return list(dict.fromkeys(names))
    social = social_channel_names()
    if settings.social_channel != "outbox":
        social = [name for name in social if not CHANNELS[name].missing_settings(settings)]
    return [EMAIL, *social]


def check_delivery_settings(settings: Settings) -> None:
    """Settings that are each valid but wrong together: SMTP needs a From address and https."""
    if settings.email_channel != "smtp":
        return
    if not settings.from_email:
        raise UserError(
            "DISTRIBUTOR_FROM_EMAIL is required with DISTRIBUTOR_EMAIL_CHANNEL=smtp: "
            "expected the address newsletters come from, such as nieuwsbrief@praktijk.be"
        )
    if not settings.public_url.startswith("https://") and not settings.allow_http_public_url:
        raise UserError(
            f"DISTRIBUTOR_PUBLIC_URL={settings.public_url!r} is invalid with the SMTP channel: "
            "expected an https URL (one-click unsubscribe needs one, RFC 8058); "
            "set DISTRIBUTOR_ALLOW_HTTP_PUBLIC_URL=1 only for testing"
        )


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
        limits.pop(EMAIL, None)
    if settings.social_channel == "outbox":
        limits = {name: limit for name, limit in limits.items() if name == EMAIL}
    return limits


@dataclass
class Wiring:
    """Everything an entry point needs, made from one Settings."""

    settings: Settings

    def __post_init__(self) -> None:
        check_delivery_settings(self.settings)
        self.channels = campaign_channels(self.settings)

    @contextmanager
    def sessions(self) -> Iterator[sessionmaker[Session]]:
        """Sessions on the configured database (created and migrated on first use)."""
        engine = open_database(self.settings.resolved_database_url)
        try:
            yield session_factory(engine)
        finally:
            engine.dispose()

    def open_channel(self, name: str) -> Channel:
        """The channel serving a campaign channel name ("email": SMTP or the outbox)."""
        if name == EMAIL:
            return CHANNELS[self.settings.email_channel].from_settings(self.settings)  # type: ignore[attr-defined]
        if name not in social_channel_names():
            raise UserError(
                f"unknown channel {name!r}", f"Use one of: {', '.join(campaign_channel_names())}."
            )
        return CHANNELS[name](self.settings)  # type: ignore[call-arg,return-value]

    def open_outbox_channel(self, name: str) -> Channel:
        """A social channel that writes to the local outbox whatever the settings say."""
        outbox = self.settings.model_copy(update={"social_channel": "outbox"})
        return CHANNELS[name](outbox)  # type: ignore[call-arg,return-value]

    @cached_property
    def letterhead(self) -> PracticeInfo:
        """The sender as the newsletter shows it: practice, address, logo, from, reply-to."""
        return practice_from_settings(self.settings)

    def compose_settings(self, for_preview: bool = False) -> ComposeSettings:
        """The values composing a campaign's emails and threads needs.

        A preview signs its links with a throwaway key, so none is made or read for it.
        """
        settings = self.settings
        makers = {}
        for name in social_channel_names():
            cls, rules = CHANNELS[name], CHANNELS[name].snippet_rules(settings)
            makers[name] = _maker(cls, rules)
        return ComposeSettings(
            letterhead=self.letterhead,
            signing_key=secrets.token_bytes(32) if for_preview else signing_key(settings),
            dkim=dkim_keys_from_settings(settings),
            bounce_address=settings.bounce_address,
            track_clicks=settings.track_clicks and not for_preview,
            track_opens=settings.track_opens and not for_preview,
            templates_dir=settings.templates_dir,
            default_language=settings.default_language,
            snippets=makers,
        )

    def snippet_limits(self) -> dict[str, Any]:
        """Each social channel's rules (None: no length limit), for previews."""
        return {
            name: CHANNELS[name].snippet_rules(self.settings) for name in social_channel_names()
        }

    def schedule(self) -> Schedule:
        """The values planning needs."""
        s = self.settings
        return Schedule(
            channels=tuple(self.channels),
            send_slot=s.send_slot,
            weekly_slot=s.weekly_slot,
            default_language=s.default_language,
            batch_size=s.send_batch_size,
            max_new_posts=s.max_new_posts_per_poll,
            build_digest=digest_builder(s),
        )

    def sender(self, sessions: sessionmaker[Session], limiter: RateLimiter | None = None) -> Sender:
        """A Sender wired to the configured channels, limits and retry policy."""
        settings = self.settings
        return Sender(
            sessions=sessions,
            open_channel=self.open_channel,
            open_composer=composer_cache(self.compose_settings()),
            limiter=limiter or LocalRateLimiter(),
            limits=rate_limits(settings),
            policy=retry_policy(settings),
            batch_size=settings.send_batch_size,
            lease_s=settings.lease_s,
            record_every=max(1, settings.record_every),
        )

    def start_send(self) -> StartSend:
        """How a send starts: Celery fan-out when a broker is configured, else drained here."""
        if self.settings.broker_url:
            return queue_on_workers

        def drain_here(sessions: sessionmaker[Session], campaign_id: int) -> str:
            report = drain(self.sender(sessions), TickReport(), campaign_id=campaign_id)
            return f"sent {report.sent}, failed {report.failed}, to retry {report.retrying}"

        return drain_here


def queue_on_workers(sessions: sessionmaker[Session], campaign_id: int) -> str:
    """Queue send tasks for the workers (the broker configured in DISTRIBUTOR_BROKER_URL)."""
    from distributor.tasks import fan_out

    return f"{fan_out()} send task(s) queued for the workers"


def _maker(cls: Any, rules: Any) -> Callable[[Any, str], Any]:
    return lambda digest, url: cls.snippet(digest, url, rules)


def composer_cache(compose: ComposeSettings, size: int = 4) -> Callable[[Session, int], Composer]:
    """Composers of the last few campaigns, so a worker compiles each newsletter once."""
    cache: OrderedDict[int, Composer] = OrderedDict()

    def open_composer(session: Session, campaign_id: int) -> Composer:
        if campaign_id not in cache:
            cache[campaign_id] = Composer(compose, session, campaign_id)
            while len(cache) > size:
                cache.popitem(last=False)
        cache.move_to_end(campaign_id)
        return cache[campaign_id]

    return open_composer


def from_environment() -> Wiring:
    """The wiring of this process, from DISTRIBUTOR_* (an entry point calls this once)."""
    return Wiring(load_settings())


def from_environment_or_exit() -> Wiring:
    """The wiring, or one line on stderr and exit code 2 when a setting is wrong (processes
    that have no CLI error handler: the Celery worker and beat)."""
    try:
        return from_environment()
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
