"""Settings: every wrong DISTRIBUTOR_* value is one line naming it, its value and the form
expected, at the start of every command and process (exit code 2, no traceback)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from distributor.config import InvalidSetting, Settings, describe_invalid, load_settings
from distributor.errors import UserError
from distributor.wiring import Wiring

REPO = Path(__file__).resolve().parents[1]

WRONG_VALUES = [
    ("DISTRIBUTOR_PUBLIC_URL", "nieuws.praktijk.be", "an absolute URL"),
    ("DISTRIBUTOR_SEND_BATCH_SIZE", "-5", "a whole number of 1 or more"),
    ("DISTRIBUTOR_DEFAULT_LANGUAGE", "de", "one of nl, en, fr"),
    ("DISTRIBUTOR_FROM_EMAIL", "nieuwsbrief", "an email address"),
    ("DISTRIBUTOR_SMTP_PORT", "abc", "a port number from 1 to 65535"),
    ("DISTRIBUTOR_RATE_LIMITS", "email:50/s", 'JSON such as {"email": "50/s"'),
    ("DISTRIBUTOR_RATE_LIMITS", '{"email": "fast"}', 'JSON such as {"email": "50/s"'),
    ("DISTRIBUTOR_TIMEZONE", "Europe/Gent", "a time zone name"),
]


@pytest.mark.parametrize(("name", "value", "expected"), WRONG_VALUES)
def test_a_wrong_value_is_one_line_naming_the_variable_the_value_and_the_form(
    monkeypatch, name, value, expected
):
    monkeypatch.setenv(name, value)
    with pytest.raises(InvalidSetting) as refused:
        load_settings()
    message = refused.value.message
    assert message.startswith(f"{name}={value!r} is invalid: expected {expected}")
    assert "\n" not in message


def test_a_secret_value_is_never_shown(monkeypatch):
    monkeypatch.setenv("DISTRIBUTOR_SMTP_PASSWORD", "hunter2")
    assert describe_invalid("smtp_password", "wrong") == (
        "DISTRIBUTOR_SMTP_PASSWORD=(hidden) is invalid: expected wrong"
    )


def test_smtp_needs_a_from_address(tmp_path):
    # Defect: SMTP silently sent from newsletter@localhost.
    with pytest.raises(UserError, match="DISTRIBUTOR_FROM_EMAIL is required"):
        Wiring(Settings(data_dir=tmp_path, email_channel="smtp", public_url="https://n.be"))


def test_smtp_needs_an_https_public_url_unless_allowed_for_testing(tmp_path):
    smtp = Settings(data_dir=tmp_path, email_channel="smtp", from_email="nieuws@praktijk.be")
    with pytest.raises(UserError, match="expected an https URL"):
        Wiring(smtp.model_copy(update={"public_url": "http://nieuws.praktijk.be"}))
    Wiring(smtp.model_copy(update={"public_url": "https://nieuws.praktijk.be"}))
    Wiring(smtp.model_copy(update={"allow_http_public_url": True}))


def test_the_outbox_needs_neither(tmp_path):
    assert Wiring(Settings(data_dir=tmp_path)).letterhead.from_email == "newsletter@localhost"


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DISTRIBUTOR_")}
    environment |= {"DISTRIBUTOR_DATA_DIR": str(tmp_path)} | env
    return subprocess.run(
        args, cwd=REPO, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("command", [["status"], ["web", "--port", "0"], ["posts", "list"]])
def test_every_command_stops_at_start_up_with_one_line_and_exit_2(tmp_path, command):
    # Defect: DISTRIBUTOR_SMTP_PORT=abc printed a 47-line traceback.
    done = run(
        [sys.executable, "-m", "distributor", *command], tmp_path, DISTRIBUTOR_SMTP_PORT="abc"
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: DISTRIBUTOR_SMTP_PORT='abc' is invalid: expected a port number from 1 to 65535, "
        "such as 587"
    ]


def test_the_celery_worker_stops_at_start_up_with_one_line_and_exit_2(tmp_path):
    # Defect: DISTRIBUTOR_RATE_LIMITS=email:50/s printed a 71-line traceback from the worker.
    celery = str(Path(sys.executable).with_name("celery"))
    done = run([celery, "-A", "worker", "worker"], tmp_path, DISTRIBUTOR_RATE_LIMITS="email:50/s")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: DISTRIBUTOR_RATE_LIMITS='email:50/s' is invalid: expected JSON such as "
        '{"email": "50/s", "x": "17/d"}'
    ]
