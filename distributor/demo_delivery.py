"""The demo's delivery half: the embedded default end to end on a throwaway data folder.

Demo subscribers from demo/subscribers.csv, the demo posts folder as an auto-approving source
polled once without a baseline (every post counts as new), then one `distributor run` tick:
campaigns dispatched and sent to the email outbox (.eml) and the social outbox (.json).
"""

from __future__ import annotations

import shlex
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from sqlalchemy import func, select

from distributor.config import Settings
from distributor.pipeline.delivery.planning import plan_post_campaigns
from distributor.pipeline.poll.polling import poll_sources
from distributor.pipeline.run import tick
from distributor.pipeline.subscribers import import_subscribers, parse_rows
from distributor.sources.fetch import make_client
from distributor.store import queries
from distributor.store.db import open_database, session_factory
from distributor.store.tables import Campaign, Delivery
from distributor.wiring import Wiring, from_environment

FRENCH_READER = "camille.dubois@example.be"  # demo/subscribers.csv: language fr


@dataclass
class DemoDelivery:
    """What the demo sent, and where to look."""

    subscribers: int
    campaigns: int
    sent: int
    failed: int
    email_dir: Path
    social_dir: Path

    def email_to(self, address: str) -> Path | None:
        """The first email in the outbox addressed to `address` (by file name)."""
        needle = f"<{address}>".encode()
        for path in sorted(self.email_dir.glob("*.eml")):
            head = path.read_bytes().split(b"\r\n\r\n", 1)[0]
            if needle in head:
                return path
        return None


def run_delivery_demo(posts: Path, subscribers_csv: Path, data_dir: Path) -> DemoDelivery:
    """Poll the demo posts (all new), plan and send their campaigns through the outboxes."""
    shutil.rmtree(data_dir, ignore_errors=True)
    settings = Settings(
        data_dir=data_dir,
        database_url=None,
        email_channel="outbox",
        social_channel="outbox",
        campaign_channels=None,
        send_slot="",
        secret_key="demo-only-secret",
    )
    wiring = Wiring(settings)
    engine = open_database(settings.resolved_database_url)
    sessions = session_factory(engine)
    now = datetime.now(UTC)
    rows, _ = parse_rows(subscribers_csv.read_text(encoding="utf-8"), settings.default_language)
    with sessions.begin() as session:
        added = import_subscribers(session, rows, confirmed=True, now=now).added
        source = queries.add_source(
            session, kind="folder", target=str(posts.resolve()), now=now, auto_approve=True
        )
        source_id = source.id
    with sessions() as session, make_client() as client:
        (polled,) = poll_sources(
            session, client=client, now=now, source_ids=[source_id], backfill=1000
        )
    plan_post_campaigns(sessions, polled.new, wiring.channels, now, now)
    report = tick(sessions, wiring.schedule(), wiring.sender(sessions))
    with sessions() as session:
        campaigns = session.scalar(select(func.count()).select_from(Campaign))
        failed = session.scalar(select(func.count()).where(Delivery.state == "failed_permanent"))
    engine.dispose()
    outbox = settings.outbox_dir
    return DemoDelivery(
        added, campaigns or 0, report.sent, failed or 0, outbox / "email", outbox / "social"
    )


def shell_command(*args: str, env: dict[str, str] | None = None) -> str:
    """A `distributor ...` command line that works when pasted as printed (this venv's script,
    quoted arguments), whether or not the venv is activated."""
    script = Path(sys.executable).with_name("distributor")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "distributor"]
    prefix = [f"{key}={shlex.quote(value)}" for key, value in (env or {}).items()]
    return " ".join([*prefix, *(shlex.quote(part) for part in [*program, *args])])


def print_delivery_demo(console: Console, posts: Path, subscribers_csv: Path) -> DemoDelivery:
    """Run the delivery demo in data/demo (or DISTRIBUTOR_DATA_DIR/demo) and say where to look."""
    data_dir = from_environment().settings.data_dir / "demo"
    result = run_delivery_demo(posts, subscribers_csv, data_dir)
    console.print(
        f"\n[bold]Delivery[/] (embedded default: SQLite, outboxes): {result.campaigns} campaigns "
        f"to {result.subscribers} demo subscribers, {result.sent} deliveries sent, "
        f"{result.failed} failed."
    )
    console.print(f"  emails (open in any mail client): {escape(str(result.email_dir.resolve()))}")
    console.print(
        f"  social posts (the exact API requests): {escape(str(result.social_dir.resolve()))}"
    )
    french = result.email_to(FRENCH_READER)
    if french is not None:
        console.print(f"  a French reader's email (French frame, the post as written): {french}")
    command = shell_command(
        "campaigns", "list", env={"DISTRIBUTOR_DATA_DIR": str(data_dir.resolve())}
    )
    console.print(f"  next: {escape(command)}", soft_wrap=True)
    return result
