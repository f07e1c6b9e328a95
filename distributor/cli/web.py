"""`distributor web`: serve sign-up, confirmation, the subscriber pages and the archive."""

from __future__ import annotations

import typer

from distributor.cli.app import app
from distributor.wiring import from_environment


@app.command("web")
def web(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Serve the web app; set DISTRIBUTOR_PUBLIC_URL to the address subscribers reach it at."""
    import uvicorn

    from distributor.web.app import create_app

    uvicorn.run(create_app(from_environment().settings), host=host, port=port, log_level="info")
