"""One local post file (Markdown, HTML or plain text) -> a Post."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import frontmatter
import yaml
import yaml.composer
from frontmatter.default_handlers import YAMLHandler

from distributor.content.reading_time import declared_minutes
from distributor.errors import UserError
from distributor.model import BodyFormat, Post
from distributor.sources.article import meta_date, parse_article
from distributor.sources.charset import decode_body, looks_binary
from distributor.sources.entries import safe_post
from distributor.sources.links import web_link

POST_SUFFIXES: dict[str, BodyFormat] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}
MAX_FILE_BYTES = 5_000_000
MAX_FRONT_MATTER_CHARS = 64_000
_FULL_PAGE = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>]", re.I)
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---\s*\n")


def read_post_file(path: str | os.PathLike[str]) -> Post:
    """Read a post file from disk; missing, empty or binary files give a UserError with a hint."""
    file = Path(path).expanduser()
    if file.is_dir():
        raise UserError(
            f"{file} is a folder, not a post file",
            "Give one .md, .html or .txt file, or add the folder with `distributor sources add`.",
        )
    try:
        if file.exists() and not file.is_file():
            raise UserError(f"{file} is not a regular file", "Give a .md, .html or .txt post file.")
        with file.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise UserError(
            f"no such file: {file}", "Check the path, or give a full http(s):// address."
        ) from exc
    except OSError as exc:
        raise UserError(
            f"cannot read {file}: {exc.strerror}", "Check the file's permissions."
        ) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise UserError(
            f"{file} is larger than {MAX_FILE_BYTES // 1_000_000} MB: not a blog post",
            "Give the post's own .md, .html or .txt file.",
        )
    return parse_post_file(raw, file.resolve())


def parse_post_file(raw: bytes, path: Path) -> Post:
    """A post from a file's bytes; the format comes from the suffix, else from the content."""
    if looks_binary(raw):
        raise UserError(
            f"{path} is not a text file (binary data)",
            "Give a post as Markdown (.md), HTML (.html) or plain text (.txt).",
        )
    text = decode_body(raw, "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UserError(f"{path} is empty", "Write the post in it, or give another file.")
    body_format = POST_SUFFIXES.get(path.suffix.lower()) or _sniff_format(text)
    base = Post(guid=str(path), title="", body=text, body_format="text", source_ref=str(path))
    if body_format == "markdown":
        return safe_post(_markdown_post(text, base))
    if body_format == "html":
        return safe_post(_html_post(text, base, path))
    return safe_post(base)


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: front matter never needs them, and a few aliases can
    expand a kilobyte into gigabytes ("billion laughs")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        return super().compose_node(parent, index)


class _BoundedYaml(YAMLHandler):
    """python-frontmatter's YAML handler, reading with the alias-free loader and a size cap."""

    def load(self, fm: str, **kwargs: object) -> Any:
        if len(fm) > MAX_FRONT_MATTER_CHARS:
            raise yaml.YAMLError(f"front matter longer than {MAX_FRONT_MATTER_CHARS} characters")
        return yaml.load(fm, Loader=_NoAliasLoader)


def _image_reference(value: str) -> str | None:
    """An image as an http(s) URL or a path on the site ("/img/x.jpg"); other schemes dropped."""
    if not value:
        return None
    if web_link(value):
        return value
    scheme = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value)
    return None if scheme or value.startswith("//") else value


def _sniff_format(text: str) -> BodyFormat:
    if _FULL_PAGE.search(text[:2048]):
        return "html"
    return "markdown" if _FRONT_MATTER.match(text) else "text"


def _markdown_post(text: str, base: Post) -> Post:
    if not _FRONT_MATTER.match(text):
        return replace(base, body_format="markdown")
    try:
        document = frontmatter.loads(text.removeprefix("\ufeff"), handler=_BoundedYaml())
    except yaml.YAMLError as exc:
        raise UserError(
            f"the front matter of {base.guid} is not valid YAML: {_first_line(exc)}",
            "Fix the lines between the two '---' at the top of the file.",
        ) from exc
    meta = {str(key).lower(): value for key, value in document.metadata.items()}
    return replace(
        base,
        title=_text(meta.get("title")),
        body=document.content,
        body_format="markdown",
        url=web_link(_text(meta.get("url") or meta.get("link"))),
        published=to_utc(meta.get("date") or meta.get("published")),
        author=_text(meta.get("author")) or None,
        image=_image_reference(_text(meta.get("image") or meta.get("cover"))),
        tags=_tag_list(meta.get("tags") or meta.get("keywords")),
        language=_language(meta.get("lang") or meta.get("language")),
        declared_reading_time=_minutes(meta.get("reading_time") or meta.get("readingtime")),
    )


def _html_post(text: str, base: Post, path: Path) -> Post:
    if not _FULL_PAGE.search(text[:2048]):
        return replace(base, body_format="html")
    file_url = path.as_uri()
    try:
        page = parse_article(text, file_url)
    except UserError:
        return replace(base, body_format="html")
    return replace(
        page,
        guid=str(path),
        url=page.url if page.url != file_url else None,
        source_ref=str(path),
    )


def to_utc(value: Any) -> datetime | None:
    """A front-matter date (date, datetime or text) as an aware UTC datetime."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    if isinstance(value, str):
        return meta_date(value)
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _tag_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list | tuple):
        items = [str(item) for item in value]
    else:
        return ()
    return tuple(dict.fromkeys(tag.strip() for tag in items if tag.strip()))


def _language(value: Any) -> str | None:
    text = _text(value).replace("_", "-").split("-")[0].lower()
    return text or None


def _minutes(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    text = _text(value)
    if text.isdigit():
        return int(text) or None
    return declared_minutes(f"reading time: {text}") if text else None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
