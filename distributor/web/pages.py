"""Rendering the subscriber pages: Jinja2 templates in templates/web, localised by gettext."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from distributor.render.i18n import SUPPORTED_LOCALES, supported_locale, translations
from distributor.render.newsletter_templates import templates_directory

WEB_DOMAIN = "web"


@cache
def _environment(locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_directory() / "web"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(locale, WEB_DOMAIN), newstyle=True)  # type: ignore[attr-defined]
    return env


def render_page(
    name: str, language: str | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A localised HTML page from templates/web/NAME."""
    locale = supported_locale(language)
    html = (
        _environment(locale)
        .get_template(name)
        .render(locale=locale, locales=SUPPORTED_LOCALES, **context)
    )
    return HTMLResponse(html, status_code=status_code)
