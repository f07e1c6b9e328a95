"""Celery: thin tasks that call pipeline functions, the beat schedule, at-least-once settings.

Correctness lives in the database (unique rows, leases, claim tokens), so a task delivered
twice or lost is harmless: a lost send task is re-created by the next tick from the rows still
due, and a duplicate finds nothing to claim. Beat takes a Redis lock per periodic job and
interval before sending it, so several beat processes still run each job once per interval.
"""

from __future__ import annotations

import math
import os
import time
from datetime import UTC, datetime
from functools import cache
from typing import Any

import redis
from celery import Celery
from celery.beat import Scheduler
from celery.signals import worker_process_init, worker_ready
from kombu import Queue

from distributor.bounces.mailbox import imap_location
from distributor.pipeline.bounces import read_bounce_mailbox
from distributor.pipeline.delivery.claim import due_count
from distributor.pipeline.delivery.schedule import dispatch_due
from distributor.pipeline.delivery.send import Sender, send_batch
from distributor.pipeline.delivery.weekly import plan_weekly
from distributor.pipeline.run import poll_and_plan
from distributor.ratelimit import RedisRateLimiter
from distributor.store.db import open_database, session_factory
from distributor.tokens import signing_key
from distributor.wiring import Wiring, from_environment_or_exit

QUEUE = "distributor"  # periodic jobs
SEND_QUEUE = "distributor.send"  # send batches: counted on their own to size the fan-out
MAX_PARALLEL_BATCHES = 16  # send tasks queued at once; more workers than this gain nothing
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"

app = Celery("distributor")


@cache
def wiring() -> Wiring:
    """This process's wiring, from DISTRIBUTOR_* (read on first use, not at import); a wrong
    setting stops the process with one line and exit code 2."""
    return from_environment_or_exit()


def celery_config(wired: Wiring) -> dict[str, Any]:
    """The Celery configuration for these settings (queues, acks, limits, beat schedule)."""
    settings = wired.settings
    send_time_limit_s = settings.lease_s + 60  # a batch stops itself before its lease runs out
    return {
        "broker_url": settings.broker_url or DEFAULT_BROKER,
        "task_acks_late": True,  # acknowledge after the task ran: a crash re-delivers it
        "task_reject_on_worker_lost": True,  # a killed worker's task goes back to the queue
        "worker_prefetch_multiplier": 1,  # one batch at a time per process
        "task_default_queue": QUEUE,
        "task_queues": [Queue(QUEUE), Queue(SEND_QUEUE)],  # every worker consumes both
        "task_routes": {"distributor.send": {"queue": SEND_QUEUE}},
        "task_ignore_result": True,
        "task_time_limit": send_time_limit_s,
        "task_soft_time_limit": send_time_limit_s - 30,
        "broker_transport_options": {
            "visibility_timeout": max(3600, int(2 * send_time_limit_s)),  # above the longest task
            "global_keyprefix": settings.redis_prefix,
        },
        "broker_connection_retry_on_startup": True,
        "worker_hijack_root_logger": False,
        "beat_scheduler": "distributor.tasks:LockedScheduler",
        "beat_schedule": {
            job: {"task": f"distributor.{job}", "schedule": settings.tick_s}
            for job in ("tick", "poll", "weekly", "bounces")
            if job != "bounces" or settings.bounce_imap_url  # the bounce mailbox, when set
        },
    }


@app.on_configure.connect
def configure(sender: Celery, **_: Any) -> None:
    """Configure Celery from the wiring when the app is first used (an unknown channel stops it)."""
    sender.conf.update(celery_config(wiring()))


def prefix() -> str:
    """The Redis key prefix of this installation."""
    return wiring().settings.redis_prefix


@cache
def redis_client() -> redis.Redis:
    """The Redis of the broker (locks, rate limits, run records)."""
    return redis.Redis.from_url(wiring().settings.broker_url or DEFAULT_BROKER)


@cache
def sender() -> Sender:
    """This process's Sender: database, channels, shared rate limiter."""
    engine = open_database(wiring().settings.resolved_database_url)
    # a forked pool process must not share its parent's database connections
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    limiter = RedisRateLimiter(redis_client(), prefix=prefix())
    return wiring().sender(session_factory(engine), limiter)


@worker_ready.connect
@worker_process_init.connect
def warm_up(**_: Any) -> None:
    """Open the database and Redis when a worker process starts, not on its first batch."""
    try:
        sender()
    except Exception:  # the first task reports the problem with its own error and retry
        sender.cache_clear()


def utcnow() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


def note_run(job: str) -> None:
    """Record that a periodic job ran (the last 1,000 runs, for monitoring and tests)."""
    key = f"{prefix()}runs:{job}"
    redis_client().pipeline().lpush(key, f"{time.time():.6f}").ltrim(key, 0, 999).execute()


@app.task(name="distributor.tick")
def tick() -> int:
    """Start due campaigns, then queue enough send tasks for the rows now due."""
    note_run("tick")
    dispatch_due(sender().sessions, utcnow(), batch_size=wiring().settings.send_batch_size)
    return fan_out()


@app.task(name="distributor.poll")
def poll() -> list[int]:
    """Poll due sources and plan a campaign for each new post."""
    note_run("poll")
    return poll_and_plan(sender().sessions, wiring().schedule(), utcnow()).campaigns


@app.task(name="distributor.weekly")
def weekly() -> int | None:
    """Plan this week's digest for weekly subscribers once its slot has come."""
    note_run("weekly")
    schedule = wiring().schedule()
    return plan_weekly(sender().sessions, schedule.weekly_slot, schedule.default_language, utcnow())


@app.task(name="distributor.bounces")
def bounces() -> dict[str, int]:
    """Record the bounces and complaints waiting in the IMAP bounce mailbox."""
    note_run("bounces")
    settings = wiring().settings
    if settings.bounce_imap_url is None:
        return {}
    location = imap_location(settings.bounce_imap_url.get_secret_value())
    return read_bounce_mailbox(sender().sessions, location, signing_key(settings), utcnow).counts


@app.task(name="distributor.send")
def send() -> int:
    """Send one batch; a full batch queues its successor so a campaign drains between ticks."""
    report = send_batch(sender())
    if report.claimed >= sender().batch_size:
        send.delay()
    return report.sent


def fan_out() -> int:
    """Queue send tasks for the due rows, minus send tasks already waiting in their queue."""
    with sender().sessions() as session:
        due = due_count(session, utcnow())
    wanted = min(math.ceil(due / sender().batch_size), MAX_PARALLEL_BATCHES)
    waiting = redis_client().llen(f"{prefix()}{SEND_QUEUE}")
    for _ in range(max(0, wanted - waiting)):
        send.delay()
    return max(0, wanted - waiting)


class LockedScheduler(Scheduler):
    """Beat that sends a periodic job only if no other beat sent it within this interval."""

    def apply_entry(self, entry: Any, producer: Any = None) -> None:
        """Send the job when this beat wins the job's lock for the current interval."""
        interval = entry.schedule.run_every.total_seconds()
        key = f"{prefix()}beat-lock:{entry.name}"
        try:
            won = redis_client().set(key, str(time.time()), nx=True, px=int(interval * 900))
        except redis.RedisError:
            return  # no Redis, no broker either: the next interval tries again
        if won:
            note_run(f"beat:{entry.name}")
            super().apply_entry(entry, producer=producer)
