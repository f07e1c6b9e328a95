"""`distributor subscribers add | list --json | export | remove | erase` and erased addresses
refused on import, on the embedded default (SQLite, outbox)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from distributor.cli import app
from distributor.errors import UserError
from distributor.store.db import open_database, session_factory

runner = CliRunner()


@pytest.fixture
def sessions(data_dir, monkeypatch):
    monkeypatch.setenv("DISTRIBUTOR_SECRET_KEY", "cli-test")
    engine = open_database(f"sqlite:///{data_dir / 'distributor.db'}")
    yield session_factory(engine)
    engine.dispose()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def listed() -> list[dict]:
    code, output = invoke("subscribers", "list", "--json")
    assert code == 0
    return json.loads(output)


def test_add_without_confirmed_sends_the_confirmation_email(sessions, data_dir):
    code, output = invoke(
        "subscribers", "add", "An@Example.org", "--name", "An", "--language", "fr"
    )
    assert code == 0, output
    (row,) = listed()
    assert {k: row[k] for k in ("email", "name", "language", "status", "frequency")} == {
        "email": "an@example.org",
        "name": "An",
        "language": "fr",
        "status": "pending",
        "frequency": "immediate",
    }
    assert row["consent_at"]
    (eml,) = (data_dir / "outbox").rglob("*.eml")
    assert "/confirm/" in eml.read_text()


def test_add_confirmed_sends_nothing(sessions, data_dir):
    assert invoke("subscribers", "add", "bo@example.org", "--confirmed")[0] == 0
    assert listed()[0]["status"] == "confirmed"
    assert not list((data_dir / "outbox").rglob("*.eml"))


def test_add_twice_is_a_clear_user_error(sessions):
    invoke("subscribers", "add", "twee@example.org", "--confirmed")
    with pytest.raises(UserError, match="already a subscriber"):
        invoke("subscribers", "add", "twee@example.org", "--confirmed")


def test_export_as_csv_or_json_filtered_by_status(sessions):
    invoke("subscribers", "add", "a@example.org", "--confirmed")
    invoke("subscribers", "add", "b@example.org")
    _, output = invoke("subscribers", "export", "--csv", "--status", "confirmed")
    rows = list(csv.DictReader(io.StringIO(output)))
    assert [r["email"] for r in rows] == ["a@example.org"]
    assert list(rows[0]) == ["email", "name", "language", "status", "frequency", "consent_at"]
    _, output = invoke("subscribers", "export", "--json")
    assert [r["status"] for r in json.loads(output)] == ["confirmed", "pending"]
    with pytest.raises(UserError, match="unknown status"):
        invoke("subscribers", "export", "--status", "gone")


def test_remove_unsubscribes(sessions):
    invoke("subscribers", "add", "weg@example.org", "--confirmed")
    assert invoke("subscribers", "remove", "weg@example.org")[0] == 0
    assert listed()[0]["status"] == "unsubscribed"


def test_an_erased_address_is_refused_until_the_admin_overrides(sessions, tmp_path):
    invoke("subscribers", "add", "wis@example.org", "--name", "Wim", "--confirmed")
    assert invoke("subscribers", "erase", "wis@example.org")[0] == 0
    assert listed() == []
    with pytest.raises(UserError, match="this address asked to be erased"):
        invoke("subscribers", "add", "wis@example.org", "--confirmed")
    lijst = tmp_path / "lijst.csv"
    lijst.write_text("email,name,language\nwis@example.org,Wim,nl\nnieuw@example.org,Nel,nl\n")
    code, output = invoke("subscribers", "import", str(lijst), "--confirmed")
    assert code == 1
    assert "this address asked to be erased" in output
    assert [r["email"] for r in listed()] == ["nieuw@example.org"]
    code, _ = invoke("subscribers", "import", str(lijst), "--confirmed", "--override-erased")
    assert code == 0
    assert sorted(r["email"] for r in listed()) == ["nieuw@example.org", "wis@example.org"]


def test_erasing_an_unknown_address_says_what_to_do(sessions):
    with pytest.raises(UserError, match="no subscriber has the address"):
        invoke("subscribers", "erase", "niemand@example.org")
