"""`distributor bounces import PATH` over a Maildir folder and an mbox file; what it recorded is
shown by `campaigns show` and `subscribers list`."""

from __future__ import annotations

import json
import mailbox

import pytest
from typer.testing import CliRunner

from distributor.cli import app
from distributor.store.db import open_database, session_factory
from tests.bounces.samples import SAMPLE_KEY, sample
from tests.pipeline.bounce_support import sent_campaign

runner = CliRunner()


@pytest.fixture
def campaign(data_dir, monkeypatch):
    monkeypatch.setenv("DISTRIBUTOR_SECRET_KEY", SAMPLE_KEY.decode())
    engine = open_database(f"sqlite:///{data_dir / 'distributor.db'}")
    yield sent_campaign(session_factory(engine))
    engine.dispose()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_a_maildir_of_bounces_is_recorded_and_shown(campaign, tmp_path):
    folder = mailbox.Maildir(tmp_path / "Bounces", create=True)
    for name in ("postfix_hard.eml", "qmail_hard.eml", "postfix_soft.eml", "arf_redacted.eml"):
        folder.add(sample(name))
    code, output = invoke("bounces", "import", str(tmp_path / "Bounces"))
    assert code == 0
    assert "read 4 message(s): complaint 1, hard 2, soft 1" in output

    _, output = invoke("campaigns", "show", str(campaign), "--json")
    shown = json.loads(output)
    assert shown["stats"] == {
        "delivered": 5,
        "bounced": 3,
        "complaints": 1,
        "unsubscribed": 1,
        "clicks": {},
        "opens": {"readers": 0, "apple_privacy_proxy": 0},
    }
    words = {b["recipient"]: b["diagnostic"] for b in shown["bounces"]}
    assert "no mailbox here by that name" in words["lezer0045@example.org"]
    _, output = invoke("campaigns", "show", str(campaign))
    assert "bounced 3, complaints 1, unsubscribed 1" in output
    assert "hard lezer0041@example.org: 5.1.1 550 5.1.1" in output

    _, output = invoke("subscribers", "list", "--json")
    listed = {s["email"]: s for s in json.loads(output)}
    assert listed["lezer0041@example.org"]["status"] == "bounced"
    assert listed["lezer0041@example.org"]["last_bounce"].startswith("hard: 550 5.1.1")
    assert listed["lezer0046@example.org"]["status"] == "confirmed"  # one soft bounce: counted
    assert listed["lezer0048@example.org"]["status_reason"] == "complaint"
    code, output = invoke("subscribers", "list")
    assert code == 0 and "reason" in output.replace("\n", "")


def test_an_mbox_file_is_read_too_and_a_second_import_adds_nothing(campaign, tmp_path):
    box = mailbox.mbox(tmp_path / "bounces.mbox", create=True)
    for name in ("gmail_hard.eml", "exchange_online_hard.eml", "postfix_delayed.eml"):
        box.add(sample(name))
    box.close()
    _, output = invoke("bounces", "import", str(tmp_path / "bounces.mbox"))
    assert "read 3 message(s): delayed 1, hard 2" in output
    _, output = invoke("bounces", "import", str(tmp_path / "bounces.mbox"))
    assert "read 3 message(s): delayed 1, duplicate 2" in output


def test_a_path_that_is_no_mailbox_is_a_one_line_error(campaign, tmp_path):
    result = runner.invoke(app, ["bounces", "import", str(tmp_path / "missing")])
    assert result.exit_code != 0
    (tmp_path / "plain").mkdir()
    result = runner.invoke(app, ["bounces", "import", str(tmp_path / "plain")])
    assert "not a Maildir" in str(result.exception)
