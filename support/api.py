"""JSON endpoints for machines and the pages' scripts (the FAQ search endpoint lives with the FAQ)."""
import re
from datetime import datetime

from flask import Blueprint, current_app, jsonify, request
from flask_babel import force_locale

from . import hours, hours_text
from .extensions import csrf
from .markets import LANGUAGES
from . import clock

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)

# a "+" in an unencoded query string arrives as a space: "10:00:00 01:00" means "10:00:00+01:00"
_SPACED_OFFSET = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


def _bad_request(description: str):
    return jsonify(error="Bad Request", description=description), 400


def parse_instant(raw: str | None) -> datetime:
    """The `at` parameter: an ISO 8601 instant with an offset (absent: now); ValueError says what is wrong."""
    if not raw:
        return clock.now()
    try:
        at = datetime.fromisoformat(_SPACED_OFFSET.sub(r"\1+\2", raw.strip()))
    except ValueError:
        raise ValueError(f"'at' is not an ISO 8601 date-time: {raw!r}") from None
    if at.tzinfo is None:
        raise ValueError(f"'at' needs a UTC offset (e.g. 2026-12-24T10:00:00+01:00): {raw!r}")
    if not 1970 <= at.year <= 2200:
        raise ValueError(f"'at' must be between the years 1970 and 2200: {raw!r}")
    return at


@bp.get("/hours")
def opening_hours():
    """Open, lunch or closed for a market at `at` (default now); `lang` adds the badge text."""
    market = current_app.extensions["markets"].get(request.args.get("market", ""))
    lang = request.args.get("lang")
    if market is None:
        return _bad_request("'market' must be one of: " + ", ".join(current_app.extensions["markets"]))
    if lang is not None and lang not in LANGUAGES:
        return _bad_request("'lang' must be one of: " + ", ".join(LANGUAGES))
    try:
        at = parse_instant(request.args.get("at"))
    except ValueError as exc:
        return _bad_request(str(exc))
    body = hours_text.status_json(market, hours.status(market, at))
    if lang:
        with force_locale(lang):
            body["label"] = hours_text.label(market, hours.status(market, at, lang))
    return jsonify(body)


@bp.route("/ping")
def ping():
    """A trivial JSON route: the baseline of bench/search_http.py."""
    return {"pong": True}
