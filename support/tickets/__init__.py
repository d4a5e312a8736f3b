"""Tickets: customer requests from web forms and e-mail, their threads, photos and routing."""
from flask import Flask

from . import models  # noqa: F401  (register the tables)
from . import routing, sweep
from .views import bp


def init_app(app: Flask) -> None:
    """Check the routing rules and response targets once, at start-up (settings: support/config.py); sweep
    orphan upload files daily as a job of `flask worker`."""
    app.extensions["upload_sweep"] = sweep.Daily()
    app.extensions.setdefault("worker_jobs", []).append(sweep.worker_job)
    markets = app.extensions["markets"]
    app.extensions["routing_rules"] = routing.parse_rules(app.config["ROUTING_RULES"], markets)
    for category in models.CATEGORIES:      # every category must have a response target
        routing.response_minutes(app.config["RESPONSE_TARGETS"], category, "normal")
