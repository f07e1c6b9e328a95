"""Where the newsletter templates live and the Jinja2 environment that renders them."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from distributor.render.i18n import translations

TEMPLATE_NAMES = ("newsletter.mjml.j2", "newsletter.txt.j2")


def candidate_directories() -> list[Path]:
    """Where templates are looked for: the source tree's templates/, then the installed copy."""
    return [
        Path(__file__).resolve().parents[2] / "templates",
        Path(sys.prefix) / "share" / "distributor" / "templates",
    ]


def templates_directory(override: str | Path | None = None) -> Path:
    """The folder holding the newsletter templates (an explicit override wins)."""
    folders = [Path(override)] if override else candidate_directories()
    for folder in folders:
        if all((folder / name).is_file() for name in TEMPLATE_NAMES):
            return folder.resolve()
    looked = ", ".join(str(f) for f in folders)
    raise FileNotFoundError(f"newsletter templates {TEMPLATE_NAMES} not found in: {looked}")


@cache
def environment(folder: Path, locale: str) -> Environment:
    """A Jinja2 environment for one template folder and locale (MJML autoescaped, text not)."""
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(enabled_extensions=("mjml.j2",), default=False),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    return env
