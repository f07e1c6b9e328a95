"""Subscribers' own pages, reached from the signed links in every email.

- `/u/{token}`: GET shows a one-button page; POST unsubscribes. A POST whose form body is
  `List-Unsubscribe=One-Click` is the RFC 8058 one-click request a mail provider sends without
  cookies: it is answered with a short 200 and no page.
- `/p/{token}`: the preferences page (language, immediate or weekly digest).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from sqlalchemy.orm import Session

from distributor.config import Settings
from distributor.errors import UserError
from distributor.pipeline import subscriptions
from distributor.signed import digest
from distributor.store.tables import Subscriber
from distributor.tokens import InvalidToken, TokenClaims, read_token
from distributor.web.deps import KeyDep, SessionDep, SettingsDep
from distributor.web.forms import BadFormToken, bound_to, check_form_token, form_token
from distributor.web.pages import render_page

router = APIRouter()
ONE_CLICK = "One-Click"


def _claims(key: bytes, token: str, purpose: str) -> TokenClaims | None:
    try:
        return read_token(key, token, purpose)  # type: ignore[arg-type]
    except InvalidToken:
        return None


def _invalid(settings: Settings) -> HTMLResponse:
    return render_page("invalid.html", settings.default_language, 400, settings=settings)


def _gone(settings: Settings) -> HTMLResponse:
    return render_page("gone.html", settings.default_language, 404, settings=settings)


def _linked_subscriber(
    session: Session, settings: Settings, key: bytes, token: str, purpose: str
) -> Subscriber | HTMLResponse:
    """The subscriber a valid link names, or the page that explains why the link fails."""
    claims = _claims(key, token, purpose)
    if claims is None:
        return _invalid(settings)
    try:
        return subscriptions.get_subscriber(session, claims.subscriber_id)
    except UserError:
        return _gone(settings)


def _unsubscribe_view(
    settings: Settings,
    key: bytes,
    subscriber: Subscriber,
    token: str,
    undone: bool = False,
    undo_refused: bool = False,
) -> HTMLResponse:
    return render_page(
        "unsubscribe.html",
        subscriber.language,
        settings=settings,
        subscriber=subscriber,
        token=token,
        done=subscriber.status == "unsubscribed",
        can_undo=subscriptions.undo_allowed(subscriber, digest(token), datetime.now(UTC)),
        undone=undone,
        undo_refused=undo_refused,
        csrf_token=form_token(key, "unsubscribe", bound_to(token), datetime.now(UTC)),
    )


def _preferences_view(
    settings: Settings, key: bytes, subscriber: Subscriber, token: str, saved: bool
) -> HTMLResponse:
    return render_page(
        "preferences.html",
        subscriber.language,
        settings=settings,
        subscriber=subscriber,
        token=token,
        saved=saved,
        frequencies=subscriptions.FREQUENCIES,
        csrf_token=form_token(key, "preferences", bound_to(token), datetime.now(UTC)),
    )


@router.get("/u/{token}", response_class=HTMLResponse)
def unsubscribe_page(token: str, session: SessionDep, settings: SettingsDep, key: KeyDep):
    """The page behind the unsubscribe link: who will be unsubscribed, and one button."""
    subscriber = _linked_subscriber(session, settings, key, token, "unsubscribe")
    if isinstance(subscriber, HTMLResponse):
        return subscriber
    return _unsubscribe_view(settings, key, subscriber, token)


@router.post("/u/{token}")
def unsubscribe(
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    key: KeyDep,
    list_unsubscribe: Annotated[str | None, Form(alias="List-Unsubscribe")] = None,
    action: Annotated[str | None, Form(max_length=20)] = None,
    csrf_token: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Unsubscribe (one-click from the mail client, or the page's button); undo with action=undo."""
    claims = _claims(key, token, "unsubscribe")
    if claims is None:
        return _invalid(settings)
    now = datetime.now(UTC)
    one_click = list_unsubscribe == ONE_CLICK
    undo = action == "undo" and not one_click  # the one-click path only ever unsubscribes
    if not one_click:  # the page's buttons carry a form token; a mail provider's POST cannot
        try:
            check_form_token(key, csrf_token, "unsubscribe", {bound_to(token)}, now)
        except BadFormToken:
            return render_page("forbidden.html", settings.default_language, 403, settings=settings)
    link_hash = digest(token)
    try:
        if undo:
            subscriber = subscriptions.get_subscriber(session, claims.subscriber_id)
            if not subscriptions.undo_allowed(subscriber, link_hash, now):
                return _unsubscribe_view(settings, key, subscriber, token, undo_refused=True)
            subscriber = subscriptions.resubscribe(
                session, claims.subscriber_id, now=now, link_hash=link_hash
            )
        else:
            via = "one-click (RFC 8058)" if one_click else "unsubscribe page"
            subscriber = subscriptions.unsubscribe(
                session,
                claims.subscriber_id,
                now=now,
                via=via,
                campaign_id=claims.campaign_id,
                link_hash=None if one_click else link_hash,
            )
    except UserError:
        return PlainTextResponse("unsubscribed") if one_click else _gone(settings)
    session.commit()
    if one_click:
        return PlainTextResponse("unsubscribed")
    return _unsubscribe_view(settings, key, subscriber, token, undone=undo)


@router.get("/p/{token}", response_class=HTMLResponse)
def preferences_page(token: str, session: SessionDep, settings: SettingsDep, key: KeyDep):
    """The preferences form for the subscriber the link names."""
    subscriber = _linked_subscriber(session, settings, key, token, "preferences")
    if isinstance(subscriber, HTMLResponse):
        return subscriber
    return _preferences_view(settings, key, subscriber, token, saved=False)


@router.post("/p/{token}", response_class=HTMLResponse)
def save_preferences(
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    key: KeyDep,
    language: Annotated[str, Form(max_length=20)],
    frequency: Annotated[str, Form(max_length=20)],
    csrf_token: Annotated[str, Form(max_length=2000)] = "",
):
    """Save the subscriber's language and frequency, and show the page again."""
    claims = _claims(key, token, "preferences")
    if claims is None:
        return _invalid(settings)
    now = datetime.now(UTC)
    try:
        check_form_token(key, csrf_token, "preferences", {bound_to(token)}, now)
    except BadFormToken:
        return render_page("forbidden.html", settings.default_language, 403, settings=settings)
    try:
        subscriber = subscriptions.update_preferences(
            session,
            claims.subscriber_id,
            language=language,
            frequency=frequency,
            now=datetime.now(UTC),
        )
        session.commit()
    except UserError as exc:
        return render_page(
            "invalid.html", settings.default_language, 422, settings=settings, reason=str(exc)
        )
    return _preferences_view(settings, key, subscriber, token, saved=True)
