"""Command line: every admin action also works from the terminal.

Each command group lives in its own module and registers itself on `app`.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markup import escape

from distributor.cli import bounces as _bounces  # noqa: F401
from distributor.cli import campaigns as _campaigns  # noqa: F401
from distributor.cli import db as _db  # noqa: F401
from distributor.cli import digest as _digest  # noqa: F401
from distributor.cli import dkim as _dkim  # noqa: F401
from distributor.cli import preview as _preview  # noqa: F401
from distributor.cli import run as _run  # noqa: F401
from distributor.cli import snippets as _snippets  # noqa: F401
from distributor.cli import sources as _sources  # noqa: F401
from distributor.cli import status as _status  # noqa: F401
from distributor.cli import subscribers as _subscribers  # noqa: F401
from distributor.cli import subscribers_manage as _subscribers_manage  # noqa: F401
from distributor.cli import web as _web  # noqa: F401
from distributor.cli.app import app
from distributor.errors import UserError

EXIT_USAGE = 2


def main() -> None:
    """Run the CLI; a UserError becomes a short message on stderr and exit code 2."""
    try:
        app()
    except UserError as exc:
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        err.print(f"[bold red]error:[/] {escape(exc.message)}")
        if exc.hint:
            err.print(f"  {escape(exc.hint)}")
        sys.exit(EXIT_USAGE)
