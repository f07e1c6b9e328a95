"""The bounce mailbox on a real IMAP server (Debian's Dovecot): reports are recorded, then moved
to the processed folder; a second read finds nothing new."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from distributor.bounces.mailbox import imap_location
from distributor.errors import UserError
from distributor.pipeline.bounces import read_bounce_mailbox
from distributor.store.db import open_database, session_factory
from tests.bounces.dovecot import Dovecot
from tests.bounces.samples import SAMPLE_KEY, sample
from tests.pipeline.bounce_support import sent_campaign, subscriber_of
from tests.pipeline.delivery_support import NOW


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    root = Path(tempfile.mkdtemp(prefix="distributor-dovecot-", dir="/tmp"))
    server = Dovecot(root).start()
    yield server
    server.stop()


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


def test_reports_in_the_imap_inbox_are_recorded_and_moved_to_processed(dovecot, sessions):
    sent_campaign(sessions)
    before = dovecot.count("Processed")
    dovecot.deliver(sample("postfix_hard.eml"), sample("arf_redacted.eml"), b"Subject: hi\r\n\r\nx")
    location = imap_location(dovecot.url)
    tally = read_bounce_mailbox(sessions, location, SAMPLE_KEY, lambda: NOW)
    assert tally.counts == {"hard": 1, "complaint": 1, "unknown": 1}
    assert dovecot.count("INBOX") == 0
    assert dovecot.count("Processed") == before + 3
    with sessions() as session:
        assert subscriber_of(session, 41).status == "bounced"
        assert subscriber_of(session, 48).status_reason == "complaint"
    again = read_bounce_mailbox(sessions, location, SAMPLE_KEY, lambda: NOW + timedelta(hours=1))
    assert again.counts == {}


def test_a_wrong_password_is_a_user_error_naming_the_setting(dovecot):
    location = imap_location(dovecot.url.replace("bounce-test-password", "wrong"))
    with pytest.raises(UserError, match="DISTRIBUTOR_BOUNCE_IMAP_URL"):
        read_bounce_mailbox(None, location, SAMPLE_KEY, lambda: NOW)  # type: ignore[arg-type]


def test_the_imap_url_names_server_user_folder_and_processed_folder():
    location = imap_location("imaps://b%40x.be:p%20w@mail.x.be/Bounces?processed=Done")
    assert (location.host, location.port, location.tls) == ("mail.x.be", 993, True)
    assert (location.user, location.password) == ("b@x.be", "p w")
    assert (location.folder, location.processed) == ("Bounces", "Done")
    assert "p w" not in repr(location)
    with pytest.raises(UserError):
        imap_location("https://mail.x.be/")


def test_the_beat_schedules_and_runs_the_mailbox_read_when_the_url_is_set(dovecot, tmp_path):
    database = f"sqlite:///{tmp_path / 'beat.db'}"
    engine = open_database(database)
    sent_campaign(session_factory(engine))
    engine.dispose()
    dovecot.deliver(sample("qmail_hard.eml"))
    redis_db = os.environ.get("DISTRIBUTOR_TEST_REDIS_DB", "7")
    environment = os.environ | {
        "DISTRIBUTOR_BOUNCE_IMAP_URL": dovecot.url,
        "DISTRIBUTOR_DATABASE_URL": database,
        "DISTRIBUTOR_SECRET_KEY": SAMPLE_KEY.decode(),
        "DISTRIBUTOR_BROKER_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "DISTRIBUTOR_REDIS_PREFIX": f"bounces-test-{uuid.uuid4().hex[:8]}:",
    }
    script = (
        "import json, distributor.tasks as t; "
        "print(json.dumps([sorted(t.app.conf.beat_schedule), t.bounces()]))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, check=True
    ).stdout
    schedule, counts = json.loads(output.splitlines()[-1])
    assert "bounces" in schedule
    assert counts == {"hard": 1}
