"""The web app: subscribers' own pages (one-click unsubscribe, preferences)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from distributor.config import Settings
from distributor.store.db import open_database, session_factory
from distributor.tokens import signing_key
from distributor.web import subscribe
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
    app.include_router(subscribe.router)

    @app.get("/healthz", response_class=PlainTextResponse)
    def healthz() -> str:
        return "ok"

    return app
