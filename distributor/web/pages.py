"""Rendering the subscriber pages: Jinja2 templates in templates/web, localised by gettext."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from distributor.render.i18n import SUPPORTED_LOCALES, supported_locale, translations
from distributor.render.newsletter_templates import templates_directory

WEB_DOMAIN = "web"
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "fr": "Français"}


@cache
def _environment(locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_directory() / "web"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(locale, WEB_DOMAIN), newstyle=True)  # type: ignore[attr-defined]
    return env


def render_fragment(name: str, locale: str | None, **context: Any) -> str:
    """A localised piece of HTML from templates/web/NAME (no page around it)."""
    return _environment(supported_locale(locale)).get_template(name).render(**context).strip()


def render_page(
    name: str, language: str | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A localised HTML page from templates/web/NAME."""
    locale = supported_locale(language)
    html = (
        _environment(locale)
        .get_template(name)
        .render(locale=locale, locales=SUPPORTED_LOCALES, language_names=LANGUAGE_NAMES, **context)
    )
    return HTMLResponse(html, status_code=status_code)


def request_language(request: Request, default: str) -> str:
    """The page language: ?lang=, then the language cookie, then Accept-Language, then default."""
    chosen = request.query_params.get("lang") or request.cookies.get("distributor_lang")
    if chosen and chosen in SUPPORTED_LOCALES:
        return chosen
    ranked: list[tuple[float, str]] = []
    for position, part in enumerate(request.headers.get("accept-language", "")[:500].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        base = tag.strip().split("-")[0].lower()
        if base in SUPPORTED_LOCALES and quality > 0:
            ranked.append((-quality + position / 1000, base))
    return min(ranked)[1] if ranked else supported_locale(default)
