"""Claiming with a lease: two claimers never share a row, a dead worker's rows come back, and a
late worker cannot overwrite a newer claim."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from distributor.model import Receipt
from distributor.pipeline.delivery.claim import claim_batch, record_outcomes, release
from distributor.pipeline.delivery.schedule import dispatch_due
from distributor.retry import RetryPolicy, backoff_delay, outcome_for
from distributor.store.db import session_factory
from distributor.store.tables import Delivery
from tests.pipeline.delivery_support import NOW, add_campaign, add_post, add_subscribers


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


@pytest.fixture
def sending(sessions):
    """A campaign to 300 subscribers, planned and sending."""
    add_subscribers(sessions, 300)
    campaign_id = add_campaign(sessions, add_post(sessions), ["email"])
    dispatch_due(sessions, NOW)
    return campaign_id


def test_two_concurrent_claimers_never_get_the_same_row(sessions, sending):
    claimed: dict[str, list[int]] = {"a": [], "b": []}

    def claimer(name: str) -> None:
        with sessions() as session:
            while rows := claim_batch(session, token=name, limit=17, lease_s=60, now=NOW):
                claimed[name].extend(row.id for row in rows)

    threads = [threading.Thread(target=claimer, args=(name,)) for name in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    a, b = set(claimed["a"]), set(claimed["b"])
    assert not a & b
    assert len(a) + len(b) == len(claimed["a"]) + len(claimed["b"]) == 300


def test_rows_of_a_dead_worker_return_when_their_lease_expires(sessions, sending):
    with sessions() as session:
        first = claim_batch(session, token="dead", limit=50, lease_s=30, now=NOW)
        during = claim_batch(
            session, token="alive", limit=500, lease_s=30, now=NOW + timedelta(seconds=10)
        )
        after = claim_batch(
            session, token="late", limit=500, lease_s=30, now=NOW + timedelta(seconds=31)
        )
    assert len(first) == 50
    assert {row.id for row in first}.isdisjoint(row.id for row in during)
    assert len(during) == 250
    assert {row.id for row in after} == {row.id for row in first}


def test_a_late_worker_cannot_overwrite_the_outcome_of_a_newer_claim(sessions, sending):
    with sessions() as session:
        stale = claim_batch(session, token="stale", limit=300, lease_s=1, now=NOW)
        fresh = claim_batch(session, token="fresh", limit=300, lease_s=60, now=NOW + timedelta(2))
    assert {row.id for row in stale} == {row.id for row in fresh}
    sent = outcome_for(Receipt(ok=True, remote_id="250 ok"), 1, NOW, RetryPolicy())
    with sessions.begin() as session:
        assert record_outcomes(session, "stale", [(row, sent) for row in stale], NOW) == 0
        assert record_outcomes(session, "fresh", [(row, sent) for row in fresh], NOW) == 300
    with sessions() as session:
        rows = session.scalars(select(Delivery).where(Delivery.state == "sent")).all()
    assert {row.claimed_by for row in rows} == {"fresh"}
    assert {row.attempts for row in rows} == {1}


def test_dispatch_puts_rows_of_a_dead_worker_back_to_pending(sessions, sending):
    with sessions() as session:
        claim_batch(session, token="dead", limit=40, lease_s=30, now=NOW)
    dispatch_due(sessions, NOW + timedelta(seconds=10))
    with sessions() as session:
        assert session.scalar(select(func.count()).where(Delivery.state == "claimed")) == 40
    dispatch_due(sessions, NOW + timedelta(seconds=31))
    with sessions() as session:
        assert session.scalar(select(func.count()).where(Delivery.state == "pending")) == 300


def test_released_rows_are_claimable_again_but_not_before_their_retry_time(sessions, sending):
    later = NOW + timedelta(minutes=5)
    with sessions() as session:
        rows = claim_batch(session, token="w", limit=300, lease_s=60, now=NOW)
        release(session, "w", rows, later)
        session.commit()
        assert claim_batch(session, token="x", limit=300, lease_s=60, now=NOW) == []
        again = claim_batch(session, token="x", limit=300, lease_s=60, now=later)
    assert len(again) == 300


def test_rows_of_a_paused_or_draft_campaign_are_not_claimed(sessions):
    add_subscribers(sessions, 10)
    post = add_post(sessions)
    paused = add_campaign(sessions, post, ["email"], state="paused")
    from distributor.pipeline.delivery.planning import plan_deliveries

    plan_deliveries(sessions, paused, NOW)
    with sessions() as session:
        assert claim_batch(session, token="w", limit=100, lease_s=60, now=NOW) == []


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    policy = RetryPolicy(base_s=10, cap_s=100, max_attempts=9)
    for attempts, ceiling in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)]:
        delays = [backoff_delay(attempts, policy) for _ in range(50)]
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(set(delays)) > 1


def test_temporary_failures_retry_until_the_limit_then_fail_permanently_with_the_reason():
    policy = RetryPolicy(base_s=1, max_attempts=3)
    busy = Receipt(ok=False, temporary=True, error="451 4.3.0 try later")
    first = outcome_for(busy, 1, NOW, policy)
    last = outcome_for(busy, 3, NOW, policy)
    assert first.state == "failed_temporary" and first.next_attempt_at > NOW
    assert last.state == "failed_permanent"
    assert last.error == "gave up after 3 attempts: 451 4.3.0 try later"


def test_only_an_address_rejection_counts_as_a_hard_bounce():
    policy = RetryPolicy()
    unknown = Receipt(ok=False, error="550 5.1.1 <x@example.org>: user unknown")
    auth = Receipt(ok=False, error="535 5.7.8 authentication failed")
    assert outcome_for(unknown, 1, NOW, policy).suppress
    assert not outcome_for(auth, 1, NOW, policy).suppress
    assert not outcome_for(unknown, 1, NOW, policy, channel_kind="social").suppress


def test_a_provider_retry_time_is_honoured_when_later_than_the_backoff():
    reset = NOW + timedelta(hours=3)
    limited = Receipt(ok=False, temporary=True, error="429", retry_at=reset)
    assert outcome_for(limited, 1, NOW, RetryPolicy(base_s=1)).next_attempt_at == reset
