"""Store queries: idempotent recording, conditional edits, sources that keep their history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from distributor.errors import UserError
from distributor.store import queries
from distributor.store.tables import Campaign, Delivery, Event, Subscriber

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def post_values(source_id: int, guid: str, content_hash: str = "h1") -> dict:
    return {
        "source_id": source_id,
        "guid": guid,
        "url": f"https://blog.example/{guid}",
        "title": f"Post {guid}",
        "content_hash": content_hash,
        "seen_text": "text",
        "state": "new",
        "body": "<p>text</p>",
        "body_format": "html",
        "first_seen_at": NOW,
        "updated_at": NOW,
    }


@pytest.fixture
def source(session):
    source = queries.add_source(session, kind="feed", target="https://blog.example/feed", now=NOW)
    session.commit()
    return source


def test_a_post_is_inserted_once_per_source_and_guid(session, source):
    first = queries.insert_post_once(session, post_values(source.id, "a"))
    second = queries.insert_post_once(session, post_values(source.id, "a", "other-hash"))
    session.commit()
    assert isinstance(first, int)
    assert second is None
    assert [p.content_hash for p in queries.list_posts(session, source.id)] == ["h1"]


def test_many_posts_are_inserted_in_one_statement_skipping_recorded_ones(session, source):
    first = queries.insert_posts_once(session, [post_values(source.id, g) for g in "ab"])
    again = queries.insert_posts_once(session, [post_values(source.id, g) for g in "abc"])
    session.commit()
    assert len(first) == 2
    assert len(again) == 1
    assert sorted(queries.known_posts(session, source.id)) == ["a", "b", "c"]


def test_the_same_guid_in_two_sources_is_two_posts(session, source):
    other = queries.add_source(session, kind="feed", target="https://other.example/feed", now=NOW)
    assert queries.insert_post_once(session, post_values(source.id, "a"))
    assert queries.insert_post_once(session, post_values(other.id, "a"))
    session.commit()
    assert len(queries.list_posts(session)) == 2
    assert len(queries.list_posts(session, other.id)) == 1


def test_an_edit_is_applied_only_by_the_writer_who_saw_the_current_hash(session, source):
    post_id = queries.insert_post_once(session, post_values(source.id, "a"))
    assert queries.update_post_if_unchanged(session, post_id, "h1", {"content_hash": "h2"})
    assert not queries.update_post_if_unchanged(session, post_id, "h1", {"content_hash": "h3"})
    session.commit()
    assert queries.known_posts(session, source.id)["a"].content_hash == "h2"


def test_adding_the_same_target_twice_is_refused_with_a_hint(session, source):
    with pytest.raises(UserError, match="already follows") as caught:
        queries.add_source(session, kind="feed", target=source.target, now=NOW)
    assert "sources list" in caught.value.hint


def test_a_removed_source_keeps_its_posts_and_comes_back_with_them(session, source):
    queries.insert_post_once(session, post_values(source.id, "a"))
    queries.remove_source(session, source.id, NOW)
    session.commit()
    assert queries.list_sources(session) == []
    assert len(queries.list_posts(session)) == 1
    with pytest.raises(UserError, match="no source with id"):
        queries.get_source(session, source.id)
    again = queries.add_source(session, kind="feed", target=source.target, now=NOW, name="Blog")
    session.commit()
    assert again.id == source.id
    assert again.name == "Blog"
    assert queries.count_posts(session, again.id) == 1
    assert [e.kind for e in queries.events(session, source_id=source.id)] == ["source_removed"]


def test_due_sources_are_those_whose_time_has_come(session, source):
    later = queries.add_source(session, kind="feed", target="https://later.example/", now=NOW)
    later.next_poll_at = NOW + timedelta(minutes=15)
    session.commit()
    assert [s.id for s in queries.due_sources(session, NOW)] == [source.id]
    assert {s.id for s in queries.due_sources(session, NOW + timedelta(hours=1))} == {
        source.id,
        later.id,
    }


def test_an_unknown_kind_is_refused(session):
    with pytest.raises(UserError, match="unknown source kind"):
        queries.add_source(session, kind="podcast", target="x", now=NOW)


def test_deliveries_are_unique_per_campaign_channel_and_recipient(session):
    campaign = Campaign(kind="weekly", state="approved", channels=["email"], created_at=NOW)
    session.add(campaign)
    session.flush()
    row = {
        "campaign_id": campaign.id,
        "channel": "email",
        "recipient_key": "an@example.be",
        "created_at": NOW,
    }
    keys = ["campaign_id", "channel", "recipient_key"]
    session.execute(queries.insert_ignoring_conflicts(session, Delivery, [row], keys))
    session.execute(queries.insert_ignoring_conflicts(session, Delivery, [row], keys))
    assert len(session.scalars(select(Delivery)).all()) == 1
    session.add(Delivery(**row))
    with pytest.raises(IntegrityError):
        session.flush()


def test_subscriber_emails_are_unique(session):
    session.add(Subscriber(email="an@example.be", created_at=NOW))
    session.flush()
    session.add(Subscriber(email="an@example.be", created_at=NOW))
    with pytest.raises(IntegrityError):
        session.flush()


def test_the_event_log_keeps_ids_and_detail(session, source):
    queries.record_event(session, "post_edited", at=NOW, source_id=source.id, detail={"x": [1]})
    session.commit()
    event = session.scalars(select(Event)).one()
    assert (event.kind, event.source_id, event.detail, event.at) == (
        "post_edited",
        source.id,
        {"x": [1]},
        NOW,
    )
