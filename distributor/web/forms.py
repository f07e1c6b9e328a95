"""Form tokens (CSRF) and the other checks every form shares.

A form token is signed with the app's key and names the form it belongs to and what it is bound
to: the visitor's form cookie on the sign-up page, the personal token on /p/ and /confirm/
pages, or "embed" for the snippet a practice pastes on its own site (which must work cross-site,
without cookies). Its signing time also tells how fast the form was filled in.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from fastapi import Request
from fastapi.responses import Response

from distributor.config import Settings
from distributor.signed import InvalidSigned, digest, sign, unsign

FORM_PURPOSE = "form"
FORM_COOKIE = "distributor_form"
LANGUAGE_COOKIE = "distributor_lang"
EMBED = "embed"
PAGE_TOKEN_MAX_AGE_S = 2 * 86_400


class BadFormToken(Exception):
    """A form sent without its token, or with one made for another form or visitor."""


def form_token(key: bytes, form: str, binding: str, now: datetime) -> str:
    """The hidden csrf_token value for one form."""
    return sign(key, FORM_PURPOSE, [form, binding], now)


def bound_to(personal_token: str) -> str:
    """What a form on a personal page is bound to: a fingerprint of that page's token."""
    return digest(personal_token)[:24]


def check_form_token(
    key: bytes, token: str | None, form: str, bindings: set[str], now: datetime
) -> tuple[str, datetime]:
    """(binding, signing time) of a valid token for `form`; BadFormToken otherwise."""
    if not token:
        raise BadFormToken("missing form token")
    try:
        payload, signed_at = unsign(key, FORM_PURPOSE, token[:1000], now)
    except InvalidSigned as exc:
        raise BadFormToken(str(exc)) from exc
    if not (isinstance(payload, list) and len(payload) == 2 and payload[0] == form):
        raise BadFormToken("a token of another form")
    binding = payload[1]
    if binding not in bindings:
        raise BadFormToken("a token of another visitor or page")
    if binding != EMBED and (now - signed_at).total_seconds() > PAGE_TOKEN_MAX_AGE_S:
        raise BadFormToken("an old form")
    return binding, signed_at


def form_cookie(request: Request) -> str:
    """The visitor's form cookie, or a new random value to set."""
    value = request.cookies.get(FORM_COOKIE, "")
    return value if 16 <= len(value) <= 64 and value.isalnum() else secrets.token_hex(16)


def secure_cookies(settings: Settings) -> bool:
    """Cookies carry the Secure flag when the public URL is https."""
    return settings.public_url.lower().startswith("https://")


def set_cookie(response: Response, settings: Settings, name: str, value: str, path: str) -> None:
    """Set a cookie HttpOnly, SameSite=Lax, and Secure when served over https."""
    response.set_cookie(
        name,
        value,
        max_age=PAGE_TOKEN_MAX_AGE_S,
        path=path,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(settings),
    )


def client_ip(request: Request) -> str:
    """The client's address as the server saw it."""
    return request.client.host if request.client else "unknown"
