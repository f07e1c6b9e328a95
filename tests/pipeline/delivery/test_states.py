"""The campaign state machine: one function per transition, illegal moves refused clearly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from distributor.pipeline.delivery.states import (
    ALLOWED,
    CampaignState,
    IllegalTransition,
    approve,
    cancel,
    pause,
    resume,
    start_sending,
)
from distributor.store.db import session_factory
from distributor.store.tables import CAMPAIGN_STATES, Campaign, Delivery
from tests.pipeline.delivery_support import NOW, add_campaign, add_post


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


def add_rows(sessions, campaign_id: int, states: list[str]) -> None:
    with sessions.begin() as session:
        session.add_all(
            Delivery(
                campaign_id=campaign_id,
                channel="email",
                recipient_key=f"lezer{i}@example.org",
                state=state,
            )
            for i, state in enumerate(states)
        )


def test_every_stored_state_is_a_state_of_the_machine():
    assert {state.value for state in CampaignState} == set(CAMPAIGN_STATES)
    assert set(ALLOWED) == set(CampaignState)


def test_a_draft_cannot_start_sending_without_approval(sessions):
    draft = add_campaign(sessions, add_post(sessions), ["email"], state="draft")
    with sessions.begin() as session:
        assert start_sending(session, draft) is False
    with sessions.begin() as session:
        approve(session, draft, NOW, NOW)
        assert start_sending(session, draft) is True
        session.expire_all()
        assert session.get(Campaign, draft).state == "sending"


@pytest.mark.parametrize("final", ["sent", "failed", "cancelled"])
def test_a_finished_campaign_refuses_approval_saying_what_it_is(sessions, final):
    done = add_campaign(sessions, add_post(sessions), ["email"], state=final)
    with sessions.begin() as session, pytest.raises(IllegalTransition, match=f"already {final}"):
        approve(session, done, NOW + timedelta(days=1), NOW)


def test_only_a_paused_campaign_resumes(sessions):
    sending = add_campaign(sessions, add_post(sessions), ["email"], state="sending")
    with sessions.begin() as session:
        assert pause(session, sending, "te veel fouten", NOW)
        resume(session, sending)
        session.flush()
        assert session.get(Campaign, sending).state == "sending"
        with pytest.raises(IllegalTransition, match="not paused"):
            resume(session, sending)


def test_cancel_stops_unsent_rows_and_leaves_sent_ones_alone(sessions):
    campaign = add_campaign(sessions, add_post(sessions), ["email"], state="sending")
    add_rows(sessions, campaign, ["sent", "pending", "failed_temporary", "failed_permanent"])

    with sessions.begin() as session:
        assert cancel(session, campaign, NOW) == 2

    with sessions() as session:
        states = session.scalars(select(Delivery.state).order_by(Delivery.id)).all()
        assert states == ["sent", "cancelled", "cancelled", "failed_permanent"]
        assert session.get(Campaign, campaign).state == "cancelled"


def test_a_sent_campaign_cannot_be_cancelled(sessions):
    sent = add_campaign(sessions, add_post(sessions), ["email"], state="sent")
    with sessions.begin() as session, pytest.raises(IllegalTransition, match="cannot cancel"):
        cancel(session, sent, NOW)
