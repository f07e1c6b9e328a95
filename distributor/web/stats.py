"""Counted links and the open pixel, privacy first.

- `/r/{token}`: counts a click on one link of one campaign and answers 302 to that link's exact
  URL; a forged or altered token goes to the practice's site and is not counted. `?s=` names the
  reader only for those who opted in to per-person statistics.
- `/o/{token}.gif`: counts an open (aggregate, Apple's proxy apart) when opens are turned on.
- `/p/{token}/statistics`: a reader's own choice to allow per-person click statistics (off).
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from distributor.click_tokens import read_link_token, read_open_token, read_person_token
from distributor.config import Settings
from distributor.pipeline.stats import (
    is_apple_privacy_proxy,
    record_click,
    record_open,
    set_per_person_stats,
)
from distributor.store.tables import Subscriber
from distributor.tokens import InvalidToken, read_token
from distributor.web.deps import KeyDep, SessionDep, SettingsDep
from distributor.web.pages import render_page

router = APIRouter()
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NO_STORE = {"Cache-Control": "no-store, private", "Referrer-Policy": "no-referrer"}


@router.get("/r/{token}")
def click(
    token: str, session: SessionDep, settings: SettingsDep, key: KeyDep, s: str | None = None
) -> RedirectResponse:
    """Count the click and redirect to the link's own URL (the site for a bad token)."""
    try:
        link = read_link_token(key, token)
    except InvalidToken:
        return RedirectResponse(settings.site_url, status_code=302, headers=NO_STORE)
    reader = _reader(key, s, link.campaign_id)
    record_click(session, link.campaign_id, link.url, reader, datetime.now(UTC))
    session.commit()
    return RedirectResponse(link.url, status_code=302, headers=NO_STORE)


@router.get("/o/{token}.gif")
def pixel(
    token: str, request: Request, session: SessionDep, settings: SettingsDep, key: KeyDep
) -> Response:
    """A 1x1 image; counts an open when opens are turned on and the token is valid."""
    if settings.track_opens:
        try:
            campaign_id = read_open_token(key, token)
        except InvalidToken:
            campaign_id = None
        if campaign_id is not None:
            client = request.client.host if request.client else None
            proxy = is_apple_privacy_proxy(client, request.headers.get("user-agent", ""))
            record_open(session, campaign_id, proxy, datetime.now(UTC))
            session.commit()
    return Response(PIXEL, media_type="image/gif", headers=NO_STORE)


def _reader(key: bytes, person: str | None, campaign_id: int) -> int | None:
    """The opted-in reader a valid person token names for this campaign, else nobody."""
    if not person:
        return None
    try:
        subscriber_id, person_campaign = read_person_token(key, person)
    except InvalidToken:
        return None
    return subscriber_id if person_campaign == campaign_id else None


@router.get("/p/{token}/statistics", response_class=HTMLResponse)
def statistics_page(token: str, session: SessionDep, settings: SettingsDep, key: KeyDep):
    """The reader's choice about per-person click statistics."""
    subscriber = _subscriber(session, key, token)
    if subscriber is None:
        return render_page("invalid.html", settings.default_language, 400, settings=settings)
    return _statistics_view(settings, subscriber, token, saved=False)


@router.post("/p/{token}/statistics", response_class=HTMLResponse)
def save_statistics(
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    key: KeyDep,
    per_person_stats: Annotated[str | None, Form()] = None,
):
    """Save the choice (the box unticked, or absent, means no)."""
    subscriber = _subscriber(session, key, token)
    if subscriber is None:
        return render_page("invalid.html", settings.default_language, 400, settings=settings)
    set_per_person_stats(session, subscriber, per_person_stats == "yes", datetime.now(UTC))
    session.commit()
    return _statistics_view(settings, subscriber, token, saved=True)


def _subscriber(session: Session, key: bytes, token: str) -> Subscriber | None:
    try:
        claims = read_token(key, token, "preferences")
    except InvalidToken:
        return None
    return session.get(Subscriber, claims.subscriber_id)


def _statistics_view(
    settings: Settings, subscriber: Subscriber, token: str, saved: bool
) -> HTMLResponse:
    return render_page(
        "statistics.html",
        subscriber.language,
        settings=settings,
        subscriber=subscriber,
        token=token,
        saved=saved,
    )
