"""Posts recorded by the scheduler's poll carry the AI summary when one is configured."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from distributor.config import Settings
from distributor.pipeline.run import poll_and_plan
from distributor.store import queries
from distributor.store.db import session_factory
from distributor.wiring import Wiring
from tests.fake_summary_api import Answer, fake_summary_api

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
AI_SUMMARY = "Rugpijn gaat meestal vanzelf over. Blijf bewegen en bouw rustig op."
POST = (
    "# Rugpijn na het tuinieren\n\n"
    + (
        "Na een dag in de tuin hebben veel mensen last van hun onderrug. "
        "Meestal is dat onschuldig en verdwijnt de pijn binnen enkele dagen. "
        "Blijf rustig bewegen en verdeel zwaar werk over meerdere dagen.\n\n"
    )
    * 3
)


def poll_new_post(engine, folder: Path, settings: Settings) -> dict:
    """Baseline an empty folder source, add a post, poll again; the post's stored digest."""
    sessions = session_factory(engine)
    with sessions() as session:
        source = queries.add_source(session, kind="folder", target=str(folder), now=NOW)
        session.commit()
        source_id = source.id
    schedule = Wiring(settings).schedule()
    poll_and_plan(sessions, schedule, NOW)
    (folder / "rugpijn.md").write_text(POST, encoding="utf-8")
    poll_and_plan(sessions, schedule, NOW + timedelta(days=1))
    with sessions() as session:
        (post,) = queries.list_posts(session, source_id)
        return dict(post.digest)


def test_the_scheduler_records_the_ai_summary_and_its_source(engine, tmp_path, data_dir):
    with fake_summary_api() as fake:
        fake.answer_with(AI_SUMMARY)
        settings = Settings(summary_api_url=fake.base_url, summary_model="mistral")
        digest = poll_new_post(engine, tmp_path, settings)
        assert fake.requests[0].body["model"] == "mistral"
    assert (digest["summary"], digest["summary_source"]) == (AI_SUMMARY, "ai")


def test_the_scheduler_records_the_extractive_summary_when_the_endpoint_fails(
    engine, tmp_path, data_dir
):
    with fake_summary_api() as fake:
        fake.answer = Answer(status=502, body=b"bad gateway")
        settings = Settings(summary_api_url=fake.base_url, summary_model="mistral")
        digest = poll_new_post(engine, tmp_path, settings)
    assert digest["summary_source"] == "extractive"
    assert digest["summary"].startswith("Na een dag in de tuin")
