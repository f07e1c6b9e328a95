"""Celery entry point: `celery -A worker worker --beat` (one process) or separate
`celery -A worker worker` and `celery -A worker beat` processes (see docs/production.md).

The settings are checked here, at start-up: a wrong DISTRIBUTOR_* value stops the worker or
beat with one line naming it and exit code 2.
"""

from distributor.tasks import app, wiring

wiring()

__all__ = ["app"]
