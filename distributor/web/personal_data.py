"""A subscriber's own data from the preferences link: download it (JSON) or erase it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from distributor.pipeline import erase
from distributor.pipeline.subscriber_export import subscriber_data
from distributor.web.deps import KeyDep, SessionDep, SettingsDep
from distributor.web.forms import BadFormToken, bound_to, check_form_token, form_token
from distributor.web.pages import render_page
from distributor.web.subscribe import _linked_subscriber

router = APIRouter()


@router.get("/p/{token}/export")
def export(token: str, session: SessionDep, settings: SettingsDep, key: KeyDep) -> Response:
    """Everything we hold about the subscriber, as a JSON file to download."""
    subscriber = _linked_subscriber(session, settings, key, token, "preferences")
    if isinstance(subscriber, HTMLResponse):
        return subscriber
    body = json.dumps(subscriber_data(session, subscriber.id), ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="my-newsletter-data.json"'},
    )


@router.get("/p/{token}/erase", response_class=HTMLResponse)
def erase_page(token: str, session: SessionDep, settings: SettingsDep, key: KeyDep):
    """The confirmation step before erasing: what will be deleted, and one button."""
    subscriber = _linked_subscriber(session, settings, key, token, "preferences")
    if isinstance(subscriber, HTMLResponse):
        return subscriber
    csrf = form_token(key, "erase", bound_to(token), datetime.now(UTC))
    return render_page(
        "erase.html",
        subscriber.language,
        settings=settings,
        subscriber=subscriber,
        csrf_token=csrf,
        token=token,
    )


@router.post("/p/{token}/erase", response_class=HTMLResponse)
def erase_subscriber(
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    key: KeyDep,
    csrf_token: Annotated[str, Form(max_length=2000)] = "",
):
    """Erase the subscriber (name, address, consent record); keep only a keyed hash."""
    subscriber = _linked_subscriber(session, settings, key, token, "preferences")
    if isinstance(subscriber, HTMLResponse):
        return subscriber
    now = datetime.now(UTC)
    try:
        check_form_token(key, csrf_token, "erase", {bound_to(token)}, now)
    except BadFormToken:
        return render_page("forbidden.html", subscriber.language, 403, settings=settings)
    language = subscriber.language
    erase.erase_subscriber(session, key, subscriber.id, now=now, via="preferences page")
    session.commit()
    return render_page("erased.html", language, settings=settings)
