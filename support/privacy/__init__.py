"""Customers' data: erasure and export on request, and retention (support/config.py RETENTION); PRIVACY.md.

It sits above mail, tickets and the outbox, whose rows it removes by DELETE/UPDATE on ids (it builds none);
the agent package's admin page calls it.
"""
from flask import Flask

from . import models  # noqa: F401  (register the table)


def init_app(app: Flask) -> None:
    """Register `flask data ...`, and retention as a job of `flask worker` (at most once a day)."""
    from . import retention
    from .cli import data_cli
    app.cli.add_command(data_cli)
    app.extensions.setdefault("worker_jobs", []).append(retention.daily_purge)
