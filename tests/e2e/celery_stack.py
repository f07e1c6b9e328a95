"""Real processes for the delivery end-to-end tests: Celery workers and beats (subprocesses)
against real Redis and PostgreSQL, and a real SMTP server; each test has its own Redis key
prefix in Redis database 11 (flushed after), or its own private redis-server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import redis
from sqlalchemy import insert, select

from distributor.store.db import open_database, session_factory
from distributor.store.tables import Campaign, Delivery, Subscriber
from tests.pipeline.delivery_support import NOW, SmtpCatcher, add_campaign, add_post

REPO = Path(__file__).resolve().parents[2]
CELERY = [sys.executable, "-m", "celery", "-A", "worker"]
# Concurrent test runs on one machine (several work trees) each set their own database number.
REDIS_DB = int(os.environ.get("DISTRIBUTOR_TEST_REDIS_DB", "11"))


class Stack:
    """Workers and beats sharing one database, one Redis and one SMTP server."""

    def __init__(self, database_url: str, data_dir: Path, smtp: SmtpCatcher, redis_url: str):
        self.database_url = database_url
        self.smtp = smtp
        self.redis_url = redis_url
        self.prefix = f"e2e-{uuid.uuid4().hex[:8]}:"
        self.env = os.environ | {
            "DISTRIBUTOR_DATABASE_URL": database_url,
            "DISTRIBUTOR_DATA_DIR": str(data_dir),
            "DISTRIBUTOR_BROKER_URL": redis_url,
            "DISTRIBUTOR_REDIS_PREFIX": self.prefix,
            "DISTRIBUTOR_EMAIL_CHANNEL": "smtp",
            "DISTRIBUTOR_SMTP_HOST": "127.0.0.1",
            "DISTRIBUTOR_SMTP_PORT": str(smtp.port),
            "DISTRIBUTOR_FROM_EMAIL": "nieuws@praktijk.example",
            "DISTRIBUTOR_ALLOW_HTTP_PUBLIC_URL": "1",
            "DISTRIBUTOR_SECRET_KEY": "e2e-secret",
            "DISTRIBUTOR_CAMPAIGN_CHANNELS": "email",
            "DISTRIBUTOR_TICK_S": "1",
            "DISTRIBUTOR_LEASE_S": "10",
            "DISTRIBUTOR_RETRY_BASE_S": "0.5",
            "DISTRIBUTOR_SEND_BATCH_SIZE": "100",
        }
        self.processes: list[subprocess.Popen] = []
        self.engine = open_database(database_url)
        self.sessions = session_factory(self.engine)

    def start(self, *args: str, **env: str) -> subprocess.Popen:
        """Start `celery -A worker ARGS` with this stack's environment."""
        process = subprocess.Popen(
            [*CELERY, *args, "--loglevel=WARNING"],
            cwd=REPO,
            env=self.env | env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def worker(self, name: str, **env: str) -> subprocess.Popen:
        """One worker process (solo pool: the process is the worker)."""
        return self.start(
            "worker",
            "--pool=solo",
            f"--hostname={name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            **env,
        )

    def beat(self) -> subprocess.Popen:
        """One beat process."""
        return self.start("beat", "--schedule", os.devnull)

    def kill(self, process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the process and wait for it to end."""
        process.send_signal(sig)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        """End every process this stack started, then clean up Redis and the database engine."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        try:
            client = redis.Redis.from_url(self.redis_url)
            keys = list(client.scan_iter(f"{self.prefix}*"))
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            pass
        self.engine.dispose()

    def campaign_to(self, count: int) -> int:
        """An approved campaign, due now, to `count` confirmed subscribers."""
        with self.sessions.begin() as session:
            session.execute(
                insert(Subscriber),
                [
                    {
                        "email": f"lezer{i:05d}@example.org",
                        "name": f"Lezer {i}",
                        "status": "confirmed",
                        "frequency": "immediate",
                    }
                    for i in range(count)
                ],
            )
        return add_campaign(self.sessions, add_post(self.sessions), ["email"], send_at=NOW)

    def campaign_state(self, campaign_id: int) -> str:
        with self.sessions() as session:
            return session.scalar(select(Campaign.state).where(Campaign.id == campaign_id))

    def sent_rows(self) -> int:
        with self.sessions() as session:
            rows = session.scalars(select(Delivery.id).where(Delivery.state == "sent"))
            return len(list(rows))

    def runs(self, job: str) -> list[float]:
        """When a periodic job ran (as recorded in Redis), oldest first."""
        client = redis.Redis.from_url(self.redis_url)
        return sorted(float(t) for t in client.lrange(f"{self.prefix}runs:{job}", 0, -1))


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `condition` until it holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
