"""Stop words per language: YAKE's packaged lists (nl, en, fr, de, es, it, ...), read once."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def stop_words(language: str) -> frozenset[str]:
    """The lowercase stop words of a language (the language-neutral list when unknown)."""
    folder = files("yake.core").joinpath("StopwordsList")
    resource = folder.joinpath(f"stopwords_{language[:2].lower()}.txt")
    if not resource.is_file():
        resource = folder.joinpath("stopwords_noLang.txt")
    raw = resource.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())
