"""Item 7: a subscriber who unsubscribes while a batch is being sent is not mailed after that.

The SMTP server on loopback unsubscribes seven readers (in the database, as the web page
would) the moment it accepts the batch's first message.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from distributor.store.db import session_factory
from distributor.store.tables import Subscriber
from tests.pipeline.delivery_support import SmtpCatcher
from tests.security.delivery_setup import campaign_for, send_everything, smtp_sender

LEAVING = [f"lezer{i:04d}@example.org" for i in range(5, 12)]


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
        campaign_for(sessions, 12, ["email"])
        sender = smtp_sender(sessions, server.port, tmp_path)
        sender.batch_size = 200  # one batch for all twelve
        send_everything(sender)
    finally:
        server.stop()
    mailed = {recipient for _, _, recipient in server.received}
    assert mailed == {f"lezer{i:04d}@example.org" for i in range(5)}
    assert not mailed & set(LEAVING)
