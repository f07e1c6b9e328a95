"""The post files of a folder: Markdown, HTML and text files, hidden ones left out."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from distributor.errors import UserError
from distributor.sources.files import POST_SUFFIXES


@dataclass(frozen=True)
class PostFile:
    """A post file found in a folder, with what tells a changed file from an unchanged one."""

    path: Path
    modified: datetime  # aware UTC
    size: int  # bytes

    def __fspath__(self) -> str:
        return str(self.path)


def list_post_files(folder: str | os.PathLike[str]) -> list[PostFile]:
    """Every post file under `folder` (recursive; hidden files and folders skipped), by path."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise UserError(
            f"no such folder: {root}", "Give the path of the folder that holds your post files."
        )
    found: list[PostFile] = []
    for directory, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            if name.startswith(".") or Path(name).suffix.lower() not in POST_SUFFIXES:
                continue
            path = Path(directory, name)
            try:
                stat = path.stat()
            except OSError:
                continue  # removed or unreadable between listing and stat
            if not path.is_file():
                continue
            modified = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
            found.append(PostFile(path.resolve(), modified, stat.st_size))
    return sorted(found, key=lambda item: str(item.path))
