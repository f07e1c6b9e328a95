"""The campaign commands' contracts: create, edit, test, cancel, retry, send's exit code, show's
failures, and `distributor status`, on the embedded default (SQLite, outbox)."""

from __future__ import annotations

import json
import sys

import pytest

from distributor.cli import main
from distributor.store.db import open_database, session_factory
from tests.pipeline.delivery_support import add_campaign, add_post, add_subscribers


@pytest.fixture
def sessions(data_dir, monkeypatch):
    monkeypatch.setenv("DISTRIBUTOR_CAMPAIGN_CHANNELS", "email,mastodon")
    monkeypatch.setenv("DISTRIBUTOR_SECRET_KEY", "cli-test")
    engine = open_database(f"sqlite:///{data_dir / 'distributor.db'}")
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `distributor ARGS` as the console script does; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["distributor", *args])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_create_makes_a_draft_for_a_baseline_post(sessions, cli):
    post = add_post(sessions, state="baseline")
    code, output, _ = cli("campaigns", "create", "--post", str(post), "--json")
    assert code == 0
    created = json.loads(output)
    assert set(created) == {"id", "state"} and created["state"] == "draft"


def test_edit_replaces_the_highlights_and_is_refused_once_approved(sessions, cli):
    campaign = add_campaign(sessions, add_post(sessions), ["email"], state="draft")
    code, output, _ = cli(
        "campaigns", "edit", str(campaign), "--subject", "Nieuw onderwerp",
        "--highlight", "Eerste tip.", "--highlight", "Tweede tip.", "--json",
    )  # fmt: skip
    assert code == 0
    edits = json.loads(output)["edits"]
    assert edits["subject"] == "Nieuw onderwerp"
    assert edits["highlights"] == ["Eerste tip.", "Tweede tip."]

    cli("campaigns", "approve", str(campaign))
    code, _, err = cli("campaigns", "edit", str(campaign), "--summary", "Te laat")
    assert code == 2
    assert "only a draft can be edited" in err


def test_send_exits_non_zero_naming_the_channel_that_failed_and_why(sessions, monkeypatch, cli):
    monkeypatch.setenv("DISTRIBUTOR_SOCIAL_CHANNEL", "live")
    add_subscribers(sessions, 2)
    campaign = add_campaign(sessions, add_post(sessions), ["email", "mastodon"], state="draft")

    code, output, err = cli("campaigns", "send", str(campaign))

    assert code == 1
    assert (
        "mastodon: not configured: set DISTRIBUTOR_MASTODON_URL and DISTRIBUTOR_MASTODON_TOKEN"
        in err
    )
    assert "sent 2" in output

    code, output, _ = cli("campaigns", "show", str(campaign), "--json")
    shown = json.loads(output)
    assert shown["state"] == "sent"
    [failure] = shown["failures"]
    assert set(failure) == {"channel", "recipient", "error", "attempts", "next_attempt_at"}
    assert (failure["channel"], failure["attempts"]) == ("mastodon", 1)

    monkeypatch.setenv("DISTRIBUTOR_SOCIAL_CHANNEL", "outbox")
    code, output, _ = cli("campaigns", "retry", str(campaign))
    assert code == 0 and "1 failed deliveries retried" in output


def test_test_sends_one_marked_email_and_one_outbox_post(sessions, data_dir, cli):
    campaign = add_campaign(sessions, add_post(sessions), ["email", "mastodon"], state="draft")
    code, output, _ = cli("campaigns", "test", str(campaign), "--to", "ik@praktijk.example")
    assert code == 0 and "via email" in output
    code, output, _ = cli("campaigns", "test", str(campaign), "--channel", "mastodon")
    assert code == 0 and "via mastodon" in output
    [eml] = (data_dir / "outbox" / "email").glob("*.eml")
    assert b"Subject: [TEST] " in eml.read_bytes()


def test_cancel_stops_a_scheduled_campaign(sessions, cli):
    campaign = add_campaign(sessions, add_post(sessions), ["email"], state="approved")
    code, output, _ = cli("campaigns", "cancel", str(campaign))
    assert code == 0 and "cancelled" in output
    code, output, _ = cli("campaigns", "show", str(campaign), "--json")
    assert json.loads(output)["state"] == "cancelled"


def test_status_shows_campaigns_by_state_and_the_next_send(sessions, cli):
    post = add_post(sessions)
    add_campaign(sessions, post, ["email"], state="draft")
    scheduled = add_campaign(sessions, post, ["email"], state="approved")
    code, output, _ = cli("status", "--json")
    assert code == 0
    shown = json.loads(output)
    assert shown["campaigns"] == {"approved": 1, "draft": 1}
    assert shown["next_send"]["campaign"] == scheduled
    assert shown["deliveries"] == {"pending": 0, "failed": 0}
    assert [s["kind"] for s in shown["sources"]] == ["folder"]
    code, output, _ = cli("status")
    assert code == 0 and "Campaigns" in output and "Sources" in output


def test_an_unknown_campaign_channel_stops_the_cli_with_one_line(sessions, monkeypatch, cli):
    monkeypatch.setenv("DISTRIBUTOR_CAMPAIGN_CHANNELS", "email,facebook")
    code, _, err = cli("campaigns", "list")
    assert code == 2
    err = err.strip().splitlines()
    assert len(err) == 1 and "'facebook'" in err[0] and "valid names: email, x" in err[0]


def test_preview_prints_each_language_and_each_post_against_its_limit(sessions, cli, tmp_path):
    campaign = add_campaign(sessions, add_post(sessions), ["email", "mastodon"], state="draft")
    code, output, _ = cli("campaigns", "preview", str(campaign), "--out", str(tmp_path / "p"))
    assert code == 0
    assert "email (nl)" in output and "email (fr)" in output and "mastodon 1/" in output
    assert "/500" in output
    assert (tmp_path / "p" / "newsletter-en.eml").exists()


def test_at_without_an_offset_is_read_in_the_practices_zone_and_shown_there(sessions, cli):
    # Defect: `--at 2030-03-05T08:00` was refused for lacking an offset; times showed in UTC.
    campaign = add_campaign(sessions, add_post(sessions), ["email"], state="draft")
    code, output, _ = cli("campaigns", "approve", str(campaign), "--at", "2030-03-05 08:00")
    assert code == 0
    assert "sends at 2030-03-05 08:00 CET" in output
    _, output, _ = cli("campaigns", "list", "--json")
    assert json.loads(output)[0]["send_at"].startswith("2030-03-05T07:00")
    _, output, _ = cli("campaigns", "show", str(campaign))
    assert "sends at 2030-03-05 08:00 CET" in output


def test_at_follows_distributor_timezone(sessions, cli, monkeypatch):
    monkeypatch.setenv("DISTRIBUTOR_TIMEZONE", "America/New_York")
    campaign = add_campaign(sessions, add_post(sessions), ["email"], state="draft")
    code, output, _ = cli("campaigns", "approve", str(campaign), "--at", "2030-07-01T09:30")
    assert code == 0 and "sends at 2030-07-01 09:30 EDT" in output


def test_a_time_in_the_past_is_refused(sessions, cli):
    campaign = add_campaign(sessions, add_post(sessions), ["email"], state="draft")
    code, _, err = cli("campaigns", "approve", str(campaign), "--at", "2020-01-01 08:00")
    assert code == 2
    assert "'2020-01-01 08:00' is in the past (2020-01-01 08:00 CET)" in err
    _, output, _ = cli("campaigns", "show", str(campaign), "--json")
    assert json.loads(output)["state"] == "draft"
