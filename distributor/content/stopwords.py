"""Stop words per language: YAKE's packaged lists (nl, en, fr, de, es, it, ...), read once."""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path


def _yake_lists() -> Path:
    """The folder of YAKE's stop word lists, found without importing YAKE (numpy, networkx)."""
    spec = find_spec("yake")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the yake package (which ships the stop word lists) is missing")
    return Path(next(iter(spec.submodule_search_locations))) / "core" / "StopwordsList"


@cache
def stop_words(language: str) -> frozenset[str]:
    """The lowercase stop words of a language (the language-neutral list when unknown)."""
    folder = _yake_lists()
    resource = folder.joinpath(f"stopwords_{language[:2].lower()}.txt")
    if not resource.is_file():
        resource = folder.joinpath("stopwords_noLang.txt")
    raw = resource.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())
