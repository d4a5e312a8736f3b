"""Tickets: customer requests from web forms and e-mail, their threads, photos and routing."""
from flask import Flask

from . import models  # noqa: F401  (register the tables)
from . import form_pages, routing, sla, sweep
from .views import bp


def init_app(app: Flask) -> None:
    """Check the routing rules and service-level policies once, at start-up (settings: support/config.py); sweep
    orphan upload files daily as a job of `flask worker`."""
    app.extensions["upload_sweep"] = sweep.Daily()
    form_pages.init_app(app)
    app.extensions.setdefault("worker_jobs", []).append(sweep.worker_job)
    markets = app.extensions["markets"]
    app.extensions["routing_rules"] = rules = routing.parse_rules(app.config["ROUTING_RULES"], markets)
    known = {*app.config["QUEUES"], *(r.queue for r in rules if r.queue),
             *(box["queue"] for box in app.config["MAILBOXES"].values() if box.get("queue"))}
    app.extensions["sla_policies"] = sla.parse_policies(app.config["SLA_POLICIES"], queues=known, markets=markets)
