"""Sign-ups per second on one web worker process, and the p99 of POST /subscribe under that load.

One uvicorn process (the app as `distributor web` serves it) on loopback, its confirmation emails
written to the local outbox; CONCURRENCY client threads each load the form once, then post
sign-ups of new addresses as fast as the server answers, COUNT in all (bounded in count and
time). Baseline in the same run: GET /healthz, the framework's floor on the same process.
Backends: SQLite (rate limits in the database), PostgreSQL (limits in the database) and
PostgreSQL with the limits in Redis.

Run: .venv/bin/python benchmarks/signup.py [--count 1500] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import sqlalchemy

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS = f"redis://127.0.0.1:6379/{os.environ.get('DISTRIBUTOR_TEST_REDIS_DB', '4')}"
DEADLINE_S = 180.0
SERVER = (
    "import uvicorn; from distributor.web.app import create_app; "
    "uvicorn.run(create_app(), host='127.0.0.1', port={port}, log_level='warning')"
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(database_url: str, data_dir: Path, extra: dict[str, str]) -> tuple:
    """One uvicorn worker process serving the app on a free loopback port."""
    port = free_port()
    env = (
        os.environ
        | {
            "DISTRIBUTOR_DATABASE_URL": database_url,
            "DISTRIBUTOR_DATA_DIR": str(data_dir),
            "DISTRIBUTOR_SECRET_KEY": "bench",
            "DISTRIBUTOR_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "DISTRIBUTOR_SIGNUP_RATE_PER_IP": "1000000/h",
            "DISTRIBUTOR_SIGNUP_MIN_FILL_S": "0",
        }
        | extra
    )
    process = subprocess.Popen([sys.executable, "-c", SERVER.format(port=port)], env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a loaded shared machine migrates a fresh database slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the web server did not start")


def run_load(url: str, count: int, concurrency: int, request) -> tuple[float, list[float]]:
    """Send `count` requests from `concurrency` threads; (requests/s, latencies in seconds)."""
    latencies: list[float] = []
    lock = threading.Lock()
    numbers = iter(range(count))
    stop_at = time.monotonic() + DEADLINE_S

    def worker() -> None:
        with httpx.Client(timeout=30) as client:
            state = {"token": CSRF.search(client.get(f"{url}/subscribe").text).group(1)}
            while time.monotonic() < stop_at:
                with lock:
                    number = next(numbers, None)
                if number is None:
                    return
                started = time.perf_counter()
                request(client, url, number, state)
                with lock:
                    latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - began), latencies


def sign_up(client: httpx.Client, url: str, number: int, state: dict) -> None:
    data = {
        "email": f"bench{number:06d}-{uuid.uuid4().hex[:6]}@example.org",
        "name": "Bench",
        "language": "nl",
        "consent": "yes",
        "csrf_token": state["token"],
    }
    answer = client.post(f"{url}/subscribe", data=data)
    if answer.status_code != 303:
        raise SystemExit(f"sign-up answered {answer.status_code}")


def health(client: httpx.Client, url: str, number: int, state: dict) -> None:
    client.get(f"{url}/healthz")


def p99(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=100)[98] * 1000


def measure(name: str, database_url: str, extra: dict[str, str], args) -> None:
    with tempfile.TemporaryDirectory() as folder:
        process, url = start_server(database_url, Path(folder), extra)
        try:
            run_load(url, 100, args.concurrency, sign_up)  # warm-up
            floor, _ = run_load(url, args.count, args.concurrency, health)
            rate, latencies = run_load(url, args.count, args.concurrency, sign_up)
        finally:
            process.terminate()
            process.wait(timeout=20)
    print(
        f"{name:<22} sign-ups/s {rate:7.1f}   p50 {statistics.median(latencies) * 1000:6.1f} ms"
        f"   p99 {p99(latencies):6.1f} ms   healthz/s {floor:7.1f}   ratio {rate / floor:.3f}"
    )


def postgres_database() -> tuple[str, callable]:
    name = f"distributor_bench_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return sqlalchemy.engine.make_url(PG_SERVER).set(database=name).render_as_string(False), drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    print(f"{args.count} requests per measure, {args.concurrency} client threads, 1 worker process")
    with tempfile.TemporaryDirectory() as folder:
        measure("SQLite", f"sqlite:///{folder}/bench.db", {}, args)
    for name, extra in (
        ("PostgreSQL", {}),
        ("PostgreSQL + Redis", {"DISTRIBUTOR_BROKER_URL": REDIS}),
    ):
        url, drop = postgres_database()
        prefix = f"distributor-bench-{uuid.uuid4().hex[:6]}:"
        try:
            measure(name, url, extra | {"DISTRIBUTOR_REDIS_PREFIX": prefix}, args)
        finally:
            drop()
            if extra:
                import redis

                client = redis.Redis.from_url(REDIS)
                for key in client.scan_iter(f"{prefix}*"):
                    client.delete(key)


if __name__ == "__main__":
    main()
