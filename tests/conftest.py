"""Shared fixtures. Fixtures for one area live in that area's own conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_SAMPLES = REPO.parent / "shared" / "samples"


@pytest.fixture(scope="session")
def sample_post_path() -> Path:
    """The practice's real post, as plain text copied from their site."""
    path = SHARED_SAMPLES / "rugpijn-hernia-kinesist.txt"
    if not path.exists():
        pytest.fail(f"missing {path}: the shared/ folder must sit beside the repository")
    return path


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder, set as DISTRIBUTOR_DATA_DIR for code that reads settings."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("DISTRIBUTOR_DATA_DIR", str(folder))
    monkeypatch.delenv("DISTRIBUTOR_DATABASE_URL", raising=False)
    return folder
