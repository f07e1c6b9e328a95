"""Joining on the web: /subscribe (form, sent, embed), /confirm/{token} and its resend.

Every POST checks its form token (403 page that says to reload), the sign-up answers the same
303 whatever the address's state, and too many requests get 429 with the same page text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from distributor.config import Settings
from distributor.errors import UserError
from distributor.pipeline import consent, signup
from distributor.render.i18n import SUPPORTED_LOCALES
from distributor.signed import ExpiredSigned, InvalidSigned, unsign
from distributor.tokens import make_token, preferences_url
from distributor.web.deps import KeyDep, SessionDep, SettingsDep
from distributor.web.forms import (
    EMBED,
    FORM_COOKIE,
    LANGUAGE_COOKIE,
    BadFormToken,
    bound_to,
    check_form_token,
    client_ip,
    form_cookie,
    form_token,
    set_cookie,
)
from distributor.web.pages import render_fragment, render_page, request_language

router = APIRouter()
SENT = "/subscribe/sent"


def _now() -> datetime:
    return datetime.now(UTC)


def forbidden(settings: Settings, language: str) -> HTMLResponse:
    """The 403 page for a form sent without a valid token: reload and try again."""
    return render_page("forbidden.html", language, 403, settings=settings)


def _signup_page(
    request: Request, settings: Settings, key: bytes, language: str, **context
) -> HTMLResponse:
    nonce = form_cookie(request)
    response = render_page(
        "signup.html",
        language,
        context.pop("status_code", 200),
        settings=settings,
        consent=request.app.state.signup.consent_text(language),
        csrf_token=form_token(key, "subscribe", nonce, _now()),
        form_url=f"{settings.public_url.rstrip('/')}/subscribe",
        **context,
    )
    set_cookie(response, settings, FORM_COOKIE, nonce, "/subscribe")
    return response


@router.get("/subscribe", response_class=HTMLResponse)
def subscribe_page(request: Request, settings: SettingsDep, key: KeyDep):
    """The sign-up form, in the visitor's language."""
    language = request_language(request, settings.default_language)
    return _signup_page(request, settings, key, language, values={"language": language})


def _sent(settings: Settings, language: str, status_code: int = 303) -> Response:
    if status_code == 303:
        response: Response = RedirectResponse(SENT, status_code=303)
    else:
        response = render_page("sent.html", language, status_code, settings=settings)
    set_cookie(response, settings, LANGUAGE_COOKIE, language, "/")
    return response


@router.post("/subscribe")
def subscribe(
    request: Request,
    settings: SettingsDep,
    key: KeyDep,
    email: Annotated[str, Form(max_length=1000)] = "",
    name: Annotated[str, Form(max_length=20_000)] = "",
    language: Annotated[str, Form(max_length=20)] = "",
    consent_given: Annotated[str, Form(alias="consent", max_length=20)] = "",
    csrf_token: Annotated[str, Form(max_length=2000)] = "",
    website: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """A sign-up request: always 303 to /subscribe/sent, whatever the address's state."""
    now = _now()
    if language not in SUPPORTED_LOCALES:
        language = request_language(request, settings.default_language)
    bindings = {EMBED, request.cookies.get(FORM_COOKIE, "")} - {""}
    try:
        binding, shown_at = check_form_token(key, csrf_token, "subscribe", bindings, now)
    except BadFormToken:
        return forbidden(settings, language)
    too_fast = binding != EMBED and (now - shown_at).total_seconds() < settings.signup_min_fill_s
    if website or too_fast:  # a honeypot filled in, or faster than a person: a bot
        return _sent(settings, language)
    values = {"email": email[:320], "name": name[:200], "language": language}
    if consent_given != "yes":
        return _signup_page(
            request, settings, key, language, values=values, error="consent", status_code=422
        )
    try:
        signup.checked_address(email)
    except UserError:
        return _signup_page(
            request, settings, key, language, values=values, error="email", status_code=422
        )
    limiter = request.app.state.signup_limiter
    if not signup.ip_allowed(limiter, request.app.state.signup, client_ip(request)):
        return _sent(settings, language, 429)
    proof = consent.ConsentProof(
        at=now,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", "")[:500],
        form_url=_form_url(request, settings, binding),
        text=request.app.state.signup.consent_text(language),
    )
    outcome = signup.sign_up(
        request.app.state.sessions,
        request.app.state.signup,
        key,
        limiter,
        signup.SignupForm(email=email, name=name, language=language),
        proof,
    )
    return _sent(settings, language, 429 if outcome == signup.Outcome.LIMITED else 303)


def _form_url(request: Request, settings: Settings, binding: str) -> str:
    """Where the form was: our own page, or the practice's page that embeds it (its Referer)."""
    public = settings.public_url.rstrip("/")
    if binding == EMBED:
        return (request.headers.get("referer") or f"{public}/subscribe/embed")[:2000]
    return f"{public}/subscribe"


@router.get(SENT, response_class=HTMLResponse)
def sent_page(request: Request, settings: SettingsDep):
    """ "Check your inbox": the same page whatever happened."""
    return render_page(
        "sent.html", request_language(request, settings.default_language), settings=settings
    )


@router.get("/subscribe/embed", response_class=HTMLResponse)
def embed_page(request: Request, settings: SettingsDep, key: KeyDep):
    """The HTML snippet a practice pastes on its own site, with how to do it."""
    language = request_language(request, settings.default_language)
    snippet = _snippet(request, settings, key, language)
    return render_page("embed.html", language, settings=settings, snippet=snippet)


def _snippet(request: Request, settings: Settings, key: bytes, language: str) -> str:
    return render_fragment(
        "embed_snippet.html",
        language,
        action=f"{settings.public_url.rstrip('/')}/subscribe",
        csrf_token=form_token(key, "subscribe", EMBED, _now()),
        consent=request.app.state.signup.consent_text(language),
        language=language,
    )


def _confirm_token_state(key: bytes, token: str) -> str:
    try:
        unsign(key, signup.CONFIRM_PURPOSE, token[:1000], _now(), signup.CONFIRM_MAX_AGE_S)
    except ExpiredSigned:
        return "expired"
    except InvalidSigned:
        return "invalid"
    return "ok"


def _confirm_invalid(settings: Settings, key: bytes, language: str, reason: str) -> HTMLResponse:
    token = form_token(key, "resend", "", _now())
    return render_page(
        "confirm_invalid.html", language, 400, settings=settings, reason=reason, csrf_token=token
    )


@router.get("/confirm/{token}", response_class=HTMLResponse)
def confirm_page(token: str, request: Request, settings: SettingsDep, key: KeyDep):
    """One button: link scanners open links, only the POST confirms."""
    language = request_language(request, settings.default_language)
    state = _confirm_token_state(key, token)
    if state != "ok":
        return _confirm_invalid(settings, key, language, state)
    csrf = form_token(key, "confirm", bound_to(token), _now())
    return render_page("confirm.html", language, settings=settings, csrf_token=csrf, done=False)


@router.post("/confirm/resend")
def resend(
    request: Request,
    settings: SettingsDep,
    key: KeyDep,
    email: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Send a new confirmation link to an address still pending (same answer in every case)."""
    language = request_language(request, settings.default_language)
    try:
        check_form_token(key, csrf_token, "resend", {""}, _now())
    except BadFormToken:
        return forbidden(settings, language)
    limiter = request.app.state.signup_limiter
    if not signup.ip_allowed(limiter, request.app.state.signup, client_ip(request)):
        return _sent(settings, language, 429)
    try:
        outcome = signup.resend_confirmation(
            request.app.state.sessions, request.app.state.signup, key, limiter, email, _now()
        )
    except UserError:
        outcome = None
    return _sent(settings, language, 429 if outcome == signup.Outcome.LIMITED else 303)


@router.post("/confirm/{token}", response_class=HTMLResponse)
def confirm(
    token: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    key: KeyDep,
    csrf_token: Annotated[str, Form(max_length=2000)] = "",
):
    """Confirm the subscription, send the welcome email, link to the preferences page."""
    language = request_language(request, settings.default_language)
    now = _now()
    try:
        check_form_token(key, csrf_token, "confirm", {bound_to(token)}, now)
    except BadFormToken:
        return forbidden(settings, language)
    try:
        done = signup.confirm(session, key, token[:1000], ip=client_ip(request), now=now)
    except ExpiredSigned:
        return _confirm_invalid(settings, key, language, "expired")
    except InvalidSigned:
        return _confirm_invalid(settings, key, language, "invalid")
    session.commit()
    subscriber = done.subscriber
    if done.newly:
        signup.send_welcome(request.app.state.signup, key, session, subscriber, now)
    link = preferences_url(settings.public_url, make_token(key, subscriber.id, None, "preferences"))
    return render_page(
        "confirm.html", subscriber.language, settings=settings, done=True, preferences=link
    )
