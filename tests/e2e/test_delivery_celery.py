"""End to end on real processes: Celery workers and beats, Redis, PostgreSQL and an SMTP server.
Every subscriber gets exactly one message, counted by Message-ID at the SMTP server, whatever
happens to workers, the SMTP server or Redis in between."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections import Counter

import pytest
import redis

from distributor.store.tables import Campaign
from tests.e2e.celery_stack import REDIS_DB, Stack, wait_for
from tests.pipeline.delivery_support import SmtpCatcher, free_port

# How long the SMTP server stays down: 5 s in `make test`; DISTRIBUTOR_E2E_OUTAGE_S=30 for the
# issue's 30-second outage (same code path, longer backoff).
OUTAGE_S = float(os.environ.get("DISTRIBUTOR_E2E_OUTAGE_S", "5"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


@pytest.fixture
def smtp():
    catcher = SmtpCatcher().start()
    yield catcher
    catcher.stop()


@pytest.fixture
def stack(database_url, tmp_path, smtp):
    made = Stack(database_url, tmp_path, smtp, f"redis://127.0.0.1:6379/{REDIS_DB}")
    yield made
    made.stop_all()


def assert_each_exactly_once(smtp: SmtpCatcher, count: int) -> int:
    """Every subscriber got a message; returns how many arrived more than once."""
    recipients = Counter(rcpt for _, _, rcpt in smtp.received)
    assert set(recipients) == {f"lezer{i:05d}@example.org" for i in range(count)}
    ids = Counter(smtp.message_ids())
    assert len(ids) == count
    return sum(n - 1 for n in ids.values())


def test_two_workers_send_a_campaign_to_2000_subscribers_exactly_once(stack, smtp):
    campaign = stack.campaign_to(2000)
    stack.worker("w1")
    stack.worker("w2")
    stack.beat()

    wait_for(lambda: stack.campaign_state(campaign) == "sent", 120, "the campaign to finish")

    assert assert_each_exactly_once(smtp, 2000) == 0


def test_one_process_with_embedded_beat_and_a_prefork_pool_sends_a_campaign(stack, smtp):
    campaign = stack.campaign_to(400)
    stack.start(
        "worker",
        "--beat",
        "--concurrency=2",
        "--schedule",
        str(stack.env["DISTRIBUTOR_DATA_DIR"]) + "/beat",
    )

    wait_for(lambda: stack.campaign_state(campaign) == "sent", 120, "the campaign to finish")

    assert assert_each_exactly_once(smtp, 400) == 0


def test_campaigns_send_queues_a_draft_to_the_workers_without_waiting_for_beat(stack, smtp):
    campaign = stack.campaign_to(300)
    with stack.sessions.begin() as session:
        session.get(Campaign, campaign).state = "draft"
    stack.worker("w1")
    command = [sys.executable, "-m", "distributor", "campaigns", "send", str(campaign)]

    done = subprocess.run(command, env=stack.env, capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert "send task(s) queued for the workers" in done.stdout
    wait_for(lambda: stack.campaign_state(campaign) == "sent", 60, "the campaign to finish")
    assert assert_each_exactly_once(smtp, 300) == 0


def test_a_worker_killed_mid_campaign_loses_nothing(stack, smtp, capsys):
    campaign = stack.campaign_to(1500)
    doomed = stack.worker("doomed")
    stack.beat()
    wait_for(lambda: len(smtp.received) > 300, 60, "sending to start")

    stack.kill(doomed)
    stack.worker("rescuer")
    wait_for(lambda: stack.campaign_state(campaign) == "sent", 120, "the campaign to finish")

    duplicates = assert_each_exactly_once(smtp, 1500)
    with capsys.disabled():
        print(f"\n[kill -9] 1500 subscribers, 0 lost, {duplicates} duplicate(s) in flight")
    assert duplicates <= 10  # at most the outcomes not yet recorded (record_every) at the kill


def test_an_smtp_server_down_mid_campaign_is_waited_out_and_nothing_is_lost(stack, smtp):
    campaign = stack.campaign_to(1200)
    stack.worker("w1")
    stack.worker("w2")
    stack.beat()
    wait_for(lambda: len(smtp.received) > 200, 60, "sending to start")

    smtp.stop()
    time.sleep(OUTAGE_S)
    assert stack.campaign_state(campaign) == "sending"
    smtp.start()
    wait_for(lambda: stack.campaign_state(campaign) == "sent", 120, "the campaign to finish")

    assert assert_each_exactly_once(smtp, 1200) == 0


def test_two_beat_processes_run_each_periodic_job_once_per_interval(stack):
    stack.worker("w1")
    stack.beat()
    stack.beat()
    wait_for(lambda: len(stack.runs("beat:tick")) >= 6, 60, "six intervals of beat")

    for job in ("tick", "poll"):
        sent = stack.runs(f"beat:{job}")
        ran = stack.runs(job)
        gaps = [later - earlier for earlier, later in itertools.pairwise(sent)]
        assert min(gaps) >= 0.85  # never twice in one interval (1 s; the lock holds 0.9 s)
        assert len(ran) in (len(sent), len(sent) - 1)  # each job sent ran once (last may queue)


def test_a_rate_limit_of_50_per_second_holds_across_three_workers(stack, smtp):
    campaign = stack.campaign_to(300)
    limits = {"DISTRIBUTOR_RATE_LIMITS": '{"email": "50/s"}'}
    for name in ("w1", "w2", "w3"):
        stack.worker(name, **limits)
    stack.beat()

    wait_for(lambda: stack.campaign_state(campaign) == "sent", 120, "the campaign to finish")

    times = sorted(t for t, _, _ in smtp.received)
    busiest = max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))
    assert busiest <= 50
    assert assert_each_exactly_once(smtp, 300) == 0


def test_a_redis_restart_mid_campaign_loses_nothing(database_url, tmp_path, smtp):
    port = free_port()
    server = [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmp_path),
    ]
    private = subprocess.Popen(server, stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    wait_for(lambda: _pings(url), 10, "the private redis-server")
    stack = Stack(database_url, tmp_path, smtp, url)
    try:
        campaign = stack.campaign_to(1200)
        limits = {"DISTRIBUTOR_RATE_LIMITS": '{"email": "2000/s"}'}
        stack.worker("w1", **limits)
        stack.worker("w2", **limits)
        stack.beat()
        wait_for(lambda: len(smtp.received) > 200, 60, "sending to start")

        private.terminate()
        private.wait(timeout=10)
        time.sleep(2)
        private = subprocess.Popen(server, stdout=subprocess.DEVNULL)
        wait_for(lambda: stack.campaign_state(campaign) == "sent", 120, "the campaign to finish")

        assert assert_each_exactly_once(smtp, 1200) == 0
    finally:
        stack.stop_all()
        private.terminate()
        private.wait(timeout=10)


def _pings(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url).ping())
    except redis.RedisError:
        return False
