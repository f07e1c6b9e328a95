"""The public archive: /archive (list), /archive/feed.xml (RSS), /archive/{campaign_id}-{slug}."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from distributor.pipeline.archive import archived_newsletter, sent_newsletters
from distributor.render.archive import rss_feed
from distributor.web.deps import SessionDep, SettingsDep
from distributor.web.pages import render_page, request_language

router = APIRouter()
REFERENCE = re.compile(r"^(\d{1,12})-([a-z0-9-]{0,80})$")
# The newsletter as sent: its own inline styles and any https image, still no script at all.
NEWSLETTER_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


@router.get("/archive", response_class=HTMLResponse)
def archive_page(request: Request, session: SessionDep, settings: SettingsDep):
    """The sent newsletters, newest first, with the feed's address."""
    language = request_language(request, settings.default_language)
    entries = sent_newsletters(session, request.app.state.compose)
    return render_page("archive.html", language, settings=settings, entries=entries)


@router.get("/archive/feed.xml")
def archive_feed(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The archive as an RSS 2.0 feed."""
    body = rss_feed(
        sent_newsletters(session, request.app.state.compose),
        public_url=settings.public_url,
        title=settings.practice_name,
        language=settings.default_language,
    )
    return Response(body, media_type="application/rss+xml; charset=utf-8")


@router.get("/archive/{reference}", response_class=HTMLResponse)
def archived(reference: str, request: Request, session: SessionDep, settings: SettingsDep):
    """One newsletter as it was sent, with sharing tags and no personal data."""
    language = request_language(request, settings.default_language)
    match = REFERENCE.match(reference)
    compose = request.app.state.compose
    found = archived_newsletter(session, compose, int(match.group(1))) if match else None
    if found is None:
        return render_page("not_found.html", language, 404, settings=settings)
    if reference != found.entry.path.rsplit("/", 1)[1]:
        return RedirectResponse(found.entry.path, status_code=308)
    return HTMLResponse(found.html, headers={"Content-Security-Policy": NEWSLETTER_CSP})
