"""Subscriber import benchmark: peak memory of `import_csv` for 100k and 1M rows (SQLite).

Each import runs in a fresh child process that reports its own peak resident memory
(ru_maxrss) and time; the baseline, measured in the same run, is a child that does everything
but read rows (an empty CSV). Flat memory means the 1M-row peak stays close to the 100k one.
Run: .venv/bin/python benchmarks/subscribers_import.py [--rows 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
from datetime import UTC, datetime
from distributor.pipeline.subscribers import import_csv
from distributor.store.db import open_database, session_factory

csv_path, db_path = sys.argv[1], sys.argv[2]
engine = open_database(f"sqlite:///{db_path}")
sessions = session_factory(engine)
started = time.perf_counter()
with open(csv_path, encoding="utf-8", newline="") as lines, sessions.begin() as session:
    report = import_csv(
        session, lines, default_language="nl", confirmed=True, now=datetime.now(UTC)
    )
elapsed = time.perf_counter() - started
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"added": report.added, "seconds": elapsed, "peak_mib": peak_kib / 1024}))
"""


def write_csv(path: Path, rows: int) -> None:
    """A CSV of `rows` distinct subscribers, written line by line."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("email,name,language\n")
        for number in range(rows):
            out.write(f"lezer{number:07d}@example.org,Lezer {number} Peeters,nl\n")


def measure(rows: int, folder: Path) -> dict[str, float]:
    """Import `rows` rows in a fresh process on a fresh SQLite file; its figures."""
    csv_path, db_path = folder / f"rows-{rows}.csv", folder / f"rows-{rows}.db"
    write_csv(csv_path, rows)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(csv_path), str(db_path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["file_mib"] = csv_path.stat().st_size / 2**20
    csv_path.unlink()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        baseline = measure(0, Path(folder))
        print(f"baseline (empty CSV): peak {baseline['peak_mib']:.1f} MiB")
        for rows in args.rows:
            got = measure(rows, Path(folder))
            print(
                f"{rows:>9,} rows ({got['file_mib']:.1f} MiB CSV): peak {got['peak_mib']:.1f} MiB "
                f"(+{got['peak_mib'] - baseline['peak_mib']:.1f} over baseline), "
                f"{got['seconds']:.1f} s ({got['added'] / max(got['seconds'], 1e-9):,.0f} rows/s)"
            )


if __name__ == "__main__":
    main()
