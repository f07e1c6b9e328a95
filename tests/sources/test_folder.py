"""list_post_files: the post files of a folder, recursively, hidden ones left out."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from distributor.errors import UserError
from distributor.sources.files import read_post_file
from distributor.sources.folder import list_post_files


def make(folder, relative: str, text: str = "Een korte post.") -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_post_files_are_found_recursively_and_sorted_by_path(tmp_path):
    for name in ("b.md", "a.txt", "2024/c.html", "2024/d.htm", "2023/e.markdown", "Z.MD"):
        make(tmp_path, name)
    found = [f.path.relative_to(tmp_path.resolve()).as_posix() for f in list_post_files(tmp_path)]
    assert found == ["2023/e.markdown", "2024/c.html", "2024/d.htm", "Z.MD", "a.txt", "b.md"]


def test_hidden_files_and_folders_and_other_files_are_skipped(tmp_path):
    for name in ("post.md", ".draft.md", ".git/notes.md", "img/photo.jpg", "style.css", "x.md~"):
        make(tmp_path, name)
    assert [f.path.name for f in list_post_files(tmp_path)] == ["post.md"]


def test_each_file_carries_its_modification_time_and_size(tmp_path):
    make(tmp_path, "post.md", "12345")
    os.utime(tmp_path / "post.md", (1_726_041_600, 1_726_041_600))
    (found,) = list_post_files(tmp_path)
    assert found.size == 5
    assert found.modified == datetime(2024, 9, 11, 8, 0, tzinfo=UTC)
    assert found.path.is_absolute()


def test_a_listed_file_can_be_read_directly(tmp_path):
    make(tmp_path, "post.txt", "Titel\n\nEen korte post over kniepijn.")
    (found,) = list_post_files(tmp_path)
    assert read_post_file(found).guid == str(found.path)


def test_an_empty_folder_has_no_posts(tmp_path):
    assert list_post_files(tmp_path) == []


def test_a_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no such folder"):
        list_post_files(tmp_path / "missing")
