"""The delivery commands' contracts: subscribers import/list, campaigns list/approve/send/show,
and `run --once`, on the embedded default (SQLite, outbox)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from distributor.cli import app
from distributor.errors import UserError
from distributor.store.db import open_database, session_factory
from tests.pipeline.delivery_support import DIGEST, add_campaign, add_post

runner = CliRunner()


@pytest.fixture
def sessions(data_dir, monkeypatch):
    monkeypatch.setenv("DISTRIBUTOR_CAMPAIGN_CHANNELS", "email,mastodon")
    monkeypatch.setenv("DISTRIBUTOR_SECRET_KEY", "cli-test")
    engine = open_database(f"sqlite:///{data_dir / 'distributor.db'}")
    yield session_factory(engine)
    engine.dispose()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_import_reports_bad_rows_by_line_and_imports_the_good_ones(sessions, tmp_path):
    csv = tmp_path / "lijst.csv"
    csv.write_text(
        "email,name,language\n"
        "an@example.org,An,nl\n"
        "not-an-address,Bert,nl\n"
        "Chris@Example.org,Chris,fr\n"
        "dora@example.org,Dora,de\n"
        "an@example.org,An again,nl\n",
        encoding="utf-8",
    )
    code, output = invoke("subscribers", "import", str(csv), "--confirmed")
    assert code == 1
    assert "imported 2 subscriber(s) as confirmed" in output
    assert "line 3: 'not-an-address' is not a valid email address" in output
    assert "line 5: language 'de' is not one of nl, en, fr" in output
    assert "line 6: an@example.org appears twice in the file" in output

    code, output = invoke("subscribers", "list", "--json")
    listed = json.loads(output)
    assert [(s["email"], s["status"], s["consent_source"]) for s in listed] == [
        ("an@example.org", "confirmed", "import --confirmed"),
        ("chris@example.org", "confirmed", "import --confirmed"),
    ]


def test_approve_send_and_show_a_campaign_through_the_outbox(sessions, tmp_path, data_dir):
    csv = tmp_path / "lijst.csv"
    csv.write_text("email,name,language\nan@example.org,An,nl\nbo@example.org,Bo,nl\n")
    invoke("subscribers", "import", str(csv), "--confirmed")
    campaign = add_campaign(sessions, add_post(sessions), ["email", "mastodon"], state="draft")

    code, output = invoke("campaigns", "list", "--json")
    (listed,) = json.loads(output)
    assert set(listed) == {"id", "post_id", "title", "state", "send_at"}
    assert (listed["id"], listed["state"]) == (campaign, "draft")

    code, output = invoke("campaigns", "approve", str(campaign), "--at", "2030-01-01T08:00+01:00")
    assert code == 0 and "approved, sends at 2030-01-01 08:00 CET" in output

    code, output = invoke("campaigns", "send", str(campaign))
    assert code == 0 and "sent 3" in output
    assert len(list((data_dir / "outbox" / "email").glob("*.eml"))) == 2

    code, output = invoke("campaigns", "show", str(campaign), "--json")
    assert json.loads(output) == {
        "id": campaign,
        "state": "sent",
        "channels": {
            "email": {"pending": 0, "claimed": 0, "sent": 2, "failed": 0},
            "mastodon": {"pending": 0, "claimed": 0, "sent": 1, "failed": 0},
        },
        "failures": [],
        "summary": DIGEST["summary"],
        "summary_source": "extractive",
        "stats": {
            "delivered": 2,
            "bounced": 0,
            "complaints": 0,
            "unsubscribed": 0,
            "clicks": {},
            "opens": {"readers": 0, "apple_privacy_proxy": 0},
        },
        "bounces": [],
    }
    code, output = invoke("campaigns", "show", str(campaign))
    assert f"summary (extractive): {DIGEST['summary']}" in output


def test_approve_reads_a_time_without_a_zone_in_the_practices_zone(sessions):
    # Issue 12: a time without an offset is read in DISTRIBUTOR_TIMEZONE (Europe/Brussels).
    campaign = add_campaign(sessions, add_post(sessions), ["email"], state="draft")
    code, output = invoke("campaigns", "approve", str(campaign), "--at", "2030-01-01T08:00")
    assert code == 0 and "sends at 2030-01-01 08:00 CET" in output


def test_run_once_dispatches_and_sends_what_is_due(sessions, data_dir):
    from tests.pipeline.delivery_support import add_subscribers

    add_subscribers(sessions, 3)
    add_campaign(sessions, add_post(sessions), ["email"])
    code, output = invoke("run", "--once")
    assert code == 0
    assert "started: 1, sent: 3" in output


def test_a_draft_campaigns_summary_can_be_replaced_before_approval(sessions):
    campaign = add_campaign(sessions, add_post(sessions), ["email"], state="draft")
    code, output = invoke(
        "campaigns", "edit", str(campaign), "--summary", "Mijn eigen samenvatting."
    )
    assert code == 0
    code, output = invoke("campaigns", "show", str(campaign), "--json")
    shown = json.loads(output)
    assert (shown["summary"], shown["summary_source"]) == ("Mijn eigen samenvatting.", "edited")


def test_an_approved_campaigns_summary_can_no_longer_change(sessions):
    campaign = add_campaign(sessions, add_post(sessions), ["email"], state="draft")
    invoke("campaigns", "approve", str(campaign), "--at", "2030-01-01T08:00+01:00")
    with pytest.raises(UserError, match="only a draft can be edited"):
        invoke("campaigns", "edit", str(campaign), "--summary", "Te laat.")


def test_an_empty_summary_is_refused(sessions):
    campaign = add_campaign(sessions, add_post(sessions), ["email"], state="draft")
    with pytest.raises(UserError, match="is empty"):
        invoke("campaigns", "edit", str(campaign), "--summary", "   ")
