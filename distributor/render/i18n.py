"""Localisation of the email's fixed words and dates: gettext catalogues per language (Babel).

The catalogues are `.po` files shipped inside the package (distributor/locale/<lang>/
LC_MESSAGES/distributor.po); they are compiled in memory when first used, so an installed
package needs no build step and a translator edits one plain text file.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "distributor"
SUPPORTED_LOCALES = ("nl", "en", "fr")
SOURCE_LOCALE = "en"  # msgids are English


def supported_locale(language: str | None, default: str = "nl") -> str:
    """The supported locale closest to a language tag ("nl-BE" -> "nl"), else the default."""
    base = (language or "").replace("_", "-").split("-")[0].lower()
    if base in SUPPORTED_LOCALES:
        return base
    return default if default in SUPPORTED_LOCALES else SOURCE_LOCALE


def catalogue_path(locale: str, domain: str = DOMAIN) -> Path:
    """Where the `.po` catalogue of a locale lives (domain "distributor": email, "web": pages)."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


@cache
def translations(locale: str, domain: str = DOMAIN) -> NullTranslations:
    """The gettext translations of a supported locale, compiled from its `.po` file once."""
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; expected one of {SUPPORTED_LOCALES}")
    with catalogue_path(locale, domain).open("rb") as po_file:
        catalogue = read_po(po_file, locale=locale, domain=domain)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain=domain)


def long_date(value: date | datetime | None, locale: str) -> str:
    """A date written out the way the locale writes it ("24 november 2026"), or ""."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, format="long", locale=locale)
