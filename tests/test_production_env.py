"""The env file in docs/production.md loads as written: by a shell (`set -a; . file`) and as
systemd's EnvironmentFile=, to the same values, which are valid settings."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from distributor.config import load_settings
from distributor.wiring import Wiring

PRODUCTION = Path(__file__).resolve().parents[1] / "docs" / "production.md"
PLAIN = re.compile(r"[^\s'\"\\$`;#]*")


def env_file_block() -> str:
    """The fenced block of docs/production.md that starts with `# /etc/distributor.env`."""
    blocks = re.findall(r"```sh\n(.*?)```", PRODUCTION.read_text(), flags=re.S)
    return next(block for block in blocks if block.startswith("# /etc/distributor.env\n"))


def as_shell(path: Path) -> dict[str, str]:
    """What `set -a; . file` exports."""
    script = f"set -a; . {path}; set +a; env -0"
    done = subprocess.run(
        ["bash", "-c", script], env={}, capture_output=True, text=True, check=True
    )
    pairs = (item.split("=", 1) for item in done.stdout.split("\0") if "=" in item)
    return {key: value for key, value in pairs if key.startswith("DISTRIBUTOR_")}


def as_systemd(text: str) -> dict[str, str]:
    """What systemd's EnvironmentFile= reads (its rules: comment lines start with # or ;, a
    value wholly in single quotes is taken literally, a plain value as is)."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        key, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        else:
            assert PLAIN.fullmatch(value), f"quote this value for both readers: {line}"
        values[key] = value
    return values


def test_the_env_file_loads_the_same_in_a_shell_and_in_systemd(tmp_path):
    # Defect: the documented file broke `. file` at the rate limits' JSON and its comments.
    path = tmp_path / "distributor.env"
    path.write_text(env_file_block())
    shell, systemd = as_shell(path), as_systemd(path.read_text())
    assert shell == systemd
    assert shell["DISTRIBUTOR_RATE_LIMITS"] == '{"email": "50/s", "x": "17/d"}'
    assert shell["DISTRIBUTOR_SEND_SLOT"] == "Tuesday 08:00 Europe/Brussels"


def test_the_env_file_is_a_valid_smtp_set_up(monkeypatch: pytest.MonkeyPatch):
    for key, value in as_systemd(env_file_block()).items():
        monkeypatch.setenv(key, value)
    wiring = Wiring(load_settings())
    assert wiring.settings.rate_limits == {"email": "50/s", "x": "17/d"}
    assert wiring.letterhead.from_email == "nieuwsbrief@example.be"
