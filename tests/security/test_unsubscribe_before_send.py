"""Item 7: a subscriber who unsubscribes while a batch is being sent is not mailed after that.

The SMTP server on loopback unsubscribes the later readers (in the database, as the web page
would) the moment it accepts the batch's first message; statuses are read again every
STATUS_CHUNK emails, so from the second chunk on nobody who left is mailed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from distributor.pipeline.delivery.send import STATUS_CHUNK
from distributor.store.db import session_factory
from distributor.store.tables import Subscriber
from tests.pipeline.delivery_support import SmtpCatcher
from tests.security.delivery_setup import campaign_for, send_everything, smtp_sender

READERS = 3 * STATUS_CHUNK
LEAVING = [f"lezer{i:04d}@example.org" for i in range(STATUS_CHUNK, READERS)]


class UnsubscribingServer(SmtpCatcher):
    """Accepts mail; after the first message, marks LEAVING as unsubscribed."""

    def __init__(self, sessions) -> None:
        super().__init__()
        self.sessions = sessions

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.received) == 1:
            with self.sessions.begin() as db:
                db.execute(
                    update(Subscriber)
                    .where(Subscriber.email.in_(LEAVING))
                    .values(status="unsubscribed", unsubscribed_at=datetime.now(UTC))
                )
        return answer


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


def test_readers_who_unsubscribe_during_a_batch_are_not_mailed_after(sessions, tmp_path):
    server = UnsubscribingServer(sessions).start()
    try:
        campaign_for(sessions, READERS, ["email"])
        sender = smtp_sender(sessions, server.port, tmp_path)
        sender.batch_size = 200  # one batch for all of them
        send_everything(sender)
    finally:
        server.stop()
    mailed = {recipient for _, _, recipient in server.received}
    assert mailed == {f"lezer{i:04d}@example.org" for i in range(STATUS_CHUNK)}
    assert not mailed & set(LEAVING)
