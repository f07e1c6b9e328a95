"""Fixtures for the content tests: the practice's real post and our own posts in nl, en, fr."""

from __future__ import annotations

from pathlib import Path

import pytest

from distributor.model import BodyFormat, Post

POSTS = Path(__file__).parent / "posts"
FORMATS: dict[str, BodyFormat] = {".md": "markdown", ".html": "html", ".txt": "text"}


def post_from_file(name: str, **fields: object) -> Post:
    """A Post as a source would hand it over: raw body, format from the file's extension."""
    path = POSTS / name
    values: dict[str, object] = {
        "guid": str(path),
        "title": "",
        "body": path.read_text(encoding="utf-8"),
        "body_format": FORMATS[path.suffix],
        "source_ref": str(path),
    }
    values.update(fields)
    return Post(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def sample_post(sample_post_path: Path) -> Post:
    """The practice's real post, as the sources engineer hands plain text over."""
    return Post(
        guid=str(sample_post_path),
        title="",
        body=sample_post_path.read_text(encoding="utf-8"),
        body_format="text",
    )
