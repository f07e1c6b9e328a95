"""Delivery end to end: beat -> Celery workers -> Postfix's smtp-sink, on PostgreSQL and Redis.

Measures, for 10,000 personalised emails (the real newsletter, signed unsubscribe links):
  0. the ceiling: one bare smtplib connection sending one pre-built message of the same size to
     the same sink, as many times (nothing is built, nothing recorded);
  1. the same pipeline in one process without Celery (baseline: `drain`, as `distributor run`),
     with and without DKIM (rsa-sha256, 2048 bit);
  2. Celery with 1 worker process, then 2 (messages/s from dispatch to the last recorded send,
     and end to end from the campaign becoming due, beat tick included);
  3. Celery overhead as a share of wall time: 1 - baseline time / 1-worker time;
  4. peak memory (VmHWM) of each worker process at 10,000 and at 100,000 recipients.

Figures at --count are the best of --repeat runs (the machine is shared; noise only slows).
Run: .venv/bin/python benchmarks/delivery.py [--count 10000] [--large 100000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import smtplib
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from distributor.config import Settings
from distributor.dkim_keys import DkimKeyPair, generate_key_pair
from distributor.model import Message
from distributor.pipeline.delivery.claim import Claimed
from distributor.pipeline.delivery.compose import Composer
from distributor.pipeline.delivery.schedule import dispatch_due
from distributor.pipeline.run import TickReport, drain
from distributor.store.tables import Campaign, Delivery, Subscriber
from distributor.wiring import Wiring
from tests.e2e.celery_stack import Stack
from tests.pipeline.delivery_support import add_campaign, add_post

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"
REDIS = f"redis://127.0.0.1:6379/{os.environ.get('DISTRIBUTOR_TEST_REDIS_DB', '12')}"
CPU: dict[str | int, float] = {}  # best CPU seconds of the sending processes per scenario


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def add_subscribers(stack: Stack, start: int, count: int) -> None:
    """Confirmed subscribers bench{start}..bench{start+count-1}, inserted in chunks."""
    for first in range(start, start + count, 10_000):
        last = min(first + 10_000, start + count)
        rows = [
            {
                "email": f"bench{i:06d}@example.org",
                "name": f"Lezer {i}",
                "status": "confirmed",
                "frequency": "immediate",
            }
            for i in range(first, last)
        ]
        with stack.sessions.begin() as session:
            session.execute(insert(Subscriber), rows)


def new_campaign(stack: Stack, state: str) -> int:
    return add_campaign(stack.sessions, add_post(stack.sessions), ["email"], state=state)


def sent_count(stack: Stack, campaign_id: int) -> int:
    with stack.sessions() as session:
        query = (
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.campaign_id == campaign_id, Delivery.state == "sent")
        )
        return session.scalar(query)


def embedded_settings(data_dir: Path, smtp_port: int, dkim: DkimKeyPair | None = None) -> Settings:
    """The settings of the in-process runs (DKIM signing when a key pair is given)."""
    signing = {}
    if dkim is not None:
        signing = {
            "dkim_domain": "praktijk.example",
            "dkim_selector": "bench",
            "dkim_private_key": dkim.private_pem.decode(),
        }
    return Settings(
        data_dir=data_dir,
        email_channel="smtp",
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        from_email="nieuws@praktijk.example",
        allow_http_public_url=True,
        secret_key="bench",
        send_batch_size=500,
        **signing,
    )


def prebuilt_message(stack: Stack, settings: Settings) -> Message:
    """One real message of the newsletter the runs send (for the ceiling)."""
    campaign = new_campaign(stack, "draft")
    now = datetime.now(UTC)
    with stack.sessions() as session:
        composer = Composer(Wiring(settings).compose_settings(), session, campaign)
        subscriber = session.scalars(select(Subscriber).limit(1)).one()
        row = Claimed(1, campaign, "email", subscriber.email, subscriber.id, 0, (), now)
        composer.load(session, [row])
        message = composer.item(row, now)
    assert isinstance(message, Message)
    return message


def ceiling(message: Message, count: int, smtp_port: int) -> float:
    """Seconds for one bare smtplib connection to send the same pre-built message `count` times."""
    connection = smtplib.SMTP("127.0.0.1", smtp_port)
    started = time.perf_counter()
    for _ in range(count):
        connection.sendmail(message.sender, [message.to], message.raw)
    seconds = time.perf_counter() - started
    connection.quit()
    return seconds


def baseline(
    stack: Stack, data_dir: Path, smtp_port: int, dkim: DkimKeyPair | None = None
) -> float:
    """Seconds to send one campaign in this process, no Celery (dispatch excluded)."""
    settings = embedded_settings(data_dir, smtp_port, dkim)
    campaign = new_campaign(stack, "approved")
    cpu = time.process_time()  # CPU counts planning too, as the workers' CPU does
    dispatch_due(stack.sessions, datetime.now(UTC))
    sender = Wiring(settings).sender(stack.sessions)
    started = time.perf_counter()
    drain(sender, TickReport())
    seconds = time.perf_counter() - started
    label = "baseline" if dkim is None else "baseline-dkim"
    CPU[label] = min(CPU.get(label, 1e9), time.process_time() - cpu)
    print(f"  (baseline: first to last recorded send {send_span(stack, campaign):.2f} s)")
    assert sent_count(stack, campaign) == total_subscribers(stack)
    return seconds


def total_subscribers(stack: Stack) -> int:
    with stack.sessions() as session:
        return session.scalar(select(func.count()).select_from(Subscriber))


def celery_run(stack: Stack, workers: int) -> tuple[float, float, list[int]]:
    """(send seconds from dispatch, end-to-end seconds, peak KiB per worker) for one campaign."""
    processes = [stack.worker(f"bench{n}-{uuid.uuid4().hex[:4]}") for n in range(workers)]
    time.sleep(4)  # let the workers start: their start-up is not delivery time
    campaign = new_campaign(stack, "draft")
    with stack.sessions.begin() as session:
        session.get(Campaign, campaign).state = "approved"
    due, cpu = time.perf_counter(), sum(cpu_seconds(p.pid) for p in processes)
    beat = stack.beat()
    dispatched = None
    while (state := stack.campaign_state(campaign)) != "sent":
        if dispatched is None and state == "sending":
            dispatched = time.perf_counter()
        time.sleep(0.02)
    done = time.perf_counter()
    used = sum(cpu_seconds(p.pid) for p in processes) - cpu
    CPU[workers] = min(CPU.get(workers, 1e9), used)
    print(
        f"  ({workers} worker(s): first to last recorded send {send_span(stack, campaign):.2f} s)"
    )
    peaks = [peak_kib(p.pid) for p in processes]
    for process in [*processes, beat]:
        process.terminate()
        process.wait(timeout=60)
    assert sent_count(stack, campaign) == total_subscribers(stack)
    return done - (dispatched or due), done - due, peaks


def send_span(stack: Stack, campaign_id: int) -> float:
    """Seconds between the first and the last recorded send of a campaign (database clock)."""
    with stack.sessions() as session:
        first, last = session.execute(
            select(func.min(Delivery.sent_at), func.max(Delivery.sent_at)).where(
                Delivery.campaign_id == campaign_id
            )
        ).one()
    return (last - first).total_seconds()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2, help="best of N runs at --count")
    parser.add_argument(
        "--embedded-only", action="store_true", help="ceiling and in-process runs only"
    )
    args = parser.parse_args()
    name = f"bench_delivery_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(PG + "postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    port = free_port()
    sink = subprocess.Popen(
        ["/usr/sbin/smtp-sink", "-u", "nobody", f"127.0.0.1:{port}", "256"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    data_dir = Path(f"/tmp/{name}")
    stack = Stack(PG + name, data_dir, SimpleNamespace(port=port), REDIS)
    stack.env |= {
        "DISTRIBUTOR_LEASE_S": "300",
        "DISTRIBUTOR_SEND_BATCH_SIZE": "500",
        "DISTRIBUTOR_TICK_S": "5",
    }
    try:
        add_subscribers(stack, 0, args.count)
        n = args.count
        message = prebuilt_message(stack, embedded_settings(data_dir, port))
        wire = min(ceiling(message, n, port) for _ in range(args.repeat))
        print(
            f"ceiling, one bare smtplib connection, the same {len(message.raw):,}-byte message: "
            f"{n:,} in {wire:.1f} s = {n / wire:,.0f}/s"
        )
        base = min(baseline(stack, data_dir, port) for _ in range(args.repeat))
        print(
            f"baseline, one process without Celery: {n:,} in {base:.1f} s = {n / base:,.0f}/s "
            f"= {wire / base:.2f}x the ceiling (goal >= 0.8x)"
        )
        pair = generate_key_pair("rsa", 2048)
        signed = min(baseline(stack, data_dir, port, pair) for _ in range(args.repeat))
        print(
            f"the same with DKIM (rsa-sha256, 2048 bit): {n:,} in {signed:.1f} s = "
            f"{n / signed:,.0f}/s = {base / signed:.2f}x DKIM off (goal >= 0.6x)"
        )
        if args.embedded_only:
            return
        one, one_e2e, peaks1 = min(celery_run(stack, 1) for _ in range(args.repeat))
        print(
            f"Celery, 1 worker: {n:,} in {one:.1f} s = {n / one:,.0f}/s "
            f"(end to end incl. beat tick {one_e2e:.1f} s); peak RSS {peaks1[0] / 1024:.0f} MiB"
        )
        two, two_e2e, peaks2 = min(celery_run(stack, 2) for _ in range(args.repeat))
        print(
            f"Celery, 2 workers: {n:,} in {two:.1f} s = {n / two:,.0f}/s "
            f"(end to end {two_e2e:.1f} s); peak RSS per worker "
            f"{', '.join(f'{p / 1024:.0f}' for p in peaks2)} MiB"
        )
        print(f"scaling 1 -> 2 workers: {one / two:.2f}x (goal >= 1.6x)")
        print(f"1 worker = {wire / one:.2f}x the ceiling (goal >= 0.7x)")
        print(
            f"Celery overhead: {max(0.0, 1 - base / one):.1%} of wall time (1 worker vs baseline)"
        )
        print(
            f"CPU seconds for {n:,}: baseline {CPU['baseline']:.2f}, 1 worker {CPU[1]:.2f}, "
            f"2 workers {CPU[2]:.2f}; Celery overhead by CPU: "
            f"{max(0.0, 1 - CPU['baseline'] / CPU[1]):.1%} "
            f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
        if args.large > n:
            add_subscribers(stack, n, args.large - n)
            big, _, peaks_big = celery_run(stack, 2)
            print(
                f"Celery, 2 workers, {args.large:,} recipients: {big:.1f} s = "
                f"{args.large / big:,.0f}/s; peak RSS per worker "
                f"{', '.join(f'{p / 1024:.0f}' for p in peaks_big)} MiB "
                f"(vs {', '.join(f'{p / 1024:.0f}' for p in peaks2)} MiB at {n:,})"
            )
    finally:
        stack.stop_all()
        sink.terminate()
        sink.wait()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
