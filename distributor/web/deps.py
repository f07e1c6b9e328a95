"""Typed dependencies for routes: settings, a database session, the signing key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from distributor.config import Settings


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request; routes that change data commit before they answer."""
    with request.app.state.sessions() as session:
        yield session


def get_signing_key(request: Request) -> bytes:
    """The key that signs subscribers' links."""
    return request.app.state.signing_key


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
KeyDep = Annotated[bytes, Depends(get_signing_key)]
