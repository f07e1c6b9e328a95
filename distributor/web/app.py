"""The web app: sign-up and confirmation, subscribers' own pages, the public archive."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.responses import FileResponse, PlainTextResponse

from distributor.config import Settings
from distributor.render.newsletter_templates import templates_directory
from distributor.signup_settings import signup_config, signup_limiter
from distributor.store.db import open_database, session_factory
from distributor.tokens import signing_key
from distributor.web import archive, personal_data, signup, stats, subscribe
from distributor.web.security import SecurityMiddleware, mask_tokens_in_access_log
from distributor.wiring import Wiring, from_environment


def create_app(settings: Settings | None = None) -> FastAPI:
    """A FastAPI app on the configured database; settings default to the environment."""
    wiring = Wiring(settings) if settings is not None else from_environment()
    settings = wiring.settings
    engine = open_database(settings.resolved_database_url)
    app = FastAPI(title="distributor", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.wiring = wiring
    app.state.sessions = session_factory(engine)
    app.state.signing_key = signing_key(settings)
    app.state.signup = signup_config(wiring)
    app.state.compose = wiring.compose_settings()
    app.state.signup_limiter = signup_limiter(
        settings, app.state.sessions, lambda: datetime.now(UTC)
    )
    for module in (signup, personal_data, subscribe, archive, stats):
        app.include_router(module.router)
    stylesheet = templates_directory() / "web" / "site.css"

    @app.get("/healthz", response_class=PlainTextResponse)
    def healthz() -> str:
        return "ok"

    @app.get("/assets/site.css")
    def site_css() -> FileResponse:
        return FileResponse(
            stylesheet, media_type="text/css", headers={"Cache-Control": "max-age=3600"}
        )

    app.add_middleware(SecurityMiddleware, public_url=settings.public_url)
    mask_tokens_in_access_log()
    return app
