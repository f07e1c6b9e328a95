"""`distributor dkim keygen`: a private key only its owner can read, and the DNS record that
makes signatures with it verify."""

from __future__ import annotations

import re
import stat

import dkim
import pytest
from typer.testing import CliRunner

from distributor.cli import app
from distributor.errors import UserError
from distributor.render.dkim_signing import DkimKey
from tests.newsletter_samples import compiled_sample, sample_message

runner = CliRunner()


@pytest.mark.parametrize("algorithm", ["rsa", "ed25519"])
def test_keygen_writes_a_private_key_and_prints_the_record_to_publish(data_dir, algorithm):
    path = data_dir / f"{algorithm}.pem"
    result = runner.invoke(
        app,
        ["dkim", "keygen", "--selector", "nieuws2026", "--domain", "praktijk.example",
         "--algorithm", algorithm, "--out", str(path)],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    record = re.search(rf"^v=DKIM1; k={algorithm}; p=\S+$", result.output, re.MULTILINE).group(0)
    assert "nieuws2026._domainkey.praktijk.example. IN TXT" in result.output

    key = DkimKey("praktijk.example", "nieuws2026", path.read_bytes())
    keys = (DkimKey("praktijk.example", "nieuws2026", path.read_bytes()),)
    raw = sample_message(compiled_sample(), dkim=keys if algorithm == "ed25519" else key).raw

    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        return record.encode() if name == b"nieuws2026._domainkey.praktijk.example." else None

    assert dkim.verify(raw, dnsfunc=lookup)


def test_keygen_never_replaces_an_existing_key(data_dir):
    path = data_dir / "dkim.pem"
    path.write_text("existing")
    arguments = ["dkim", "keygen", "--domain", "praktijk.example", "--out", str(path)]
    with pytest.raises(UserError, match="already exists"):
        runner.invoke(app, arguments, catch_exceptions=False)
    assert path.read_text() == "existing"


def test_keygen_refuses_an_unknown_algorithm(data_dir):
    arguments = ["dkim", "keygen", "--domain", "praktijk.example", "--algorithm", "dsa"]
    with pytest.raises(UserError, match="unknown algorithm"):
        runner.invoke(app, arguments, catch_exceptions=False)
