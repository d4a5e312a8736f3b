"""Tickets: customer requests from web forms and e-mail, their threads, photos and routing."""
from flask import Flask

from . import models  # noqa: F401  (register the tables)
from . import photos, routing
from .views import bp

# Defaults of this area's settings (support/config.py holds the site-wide ones); config may override each.
DEFAULTS = {
    "ROUTING_RULES": routing.DEFAULT_RULES,
    # business minutes to the first answer, looked up as category/priority, category/*, */priority, */*
    "RESPONSE_TARGETS": {"cancellation/*": 60, "*/urgent": 120, "*/high": 240, "*/normal": 480, "*/low": 960},
    "REQUEST_RATE_LIMIT": "10 per minute;50 per hour",
    "PHOTO_MAX_BYTES": photos.MAX_PHOTO_BYTES,
    "PHOTO_MAX_COUNT": photos.MAX_PHOTOS,
    "PHOTO_MAX_PIXELS": photos.MAX_PIXELS,
    "PUBLIC_URL": None,                    # e.g. "https://support.example.com": links in mail sent by the worker/CLI
}


def init_app(app: Flask) -> None:
    """Fill this area's config defaults and check the routing rules once, at start-up."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    markets = app.extensions["markets"]
    app.extensions["routing_rules"] = routing.parse_rules(app.config["ROUTING_RULES"], markets)
    for category in models.CATEGORIES:      # every category must have a response target
        routing.response_minutes(app.config["RESPONSE_TARGETS"], category, "normal")
