"""Celery entry point: `celery -A worker worker --beat` (one process) or separate
`celery -A worker worker` and `celery -A worker beat` processes (see docs/production.md)."""

from distributor.tasks import app

__all__ = ["app"]
