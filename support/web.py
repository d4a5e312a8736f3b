"""Site-wide pieces: `/` by Accept-Language, the health check, error pages, security headers, safe redirects,
the cross-origin check, uploads kept in memory."""
import io
import logging
from urllib.parse import urlsplit

import flask
from flask import Blueprint, Flask, abort, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from .extensions import db
from .i18n import best_language
from .ids import IdConverter

log = logging.getLogger(__name__)
bp = Blueprint("web", __name__)


@bp.route("/")
def index():
    return redirect(url_for("faq.home", lang=best_language()))


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:                                       # any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


def _refuse_nul() -> None:
    """A NUL character anywhere in what a request says (path, query, form fields, JSON) is refused with a 400.

    PostgreSQL can neither store nor compare text holding NUL (psycopg raises DataError), so one in a form field,
    a search or a reference was a 500 wherever it reached a query. No browser sends it from a text field.
    """
    texts = [request.path, *(item for pair in request.args.lists() for item in (pair[0], *pair[1]))]
    if request.method in ("POST", "PUT", "PATCH"):
        texts += [item for pair in request.form.lists() for item in (pair[0], *pair[1])]
        if request.is_json and b"\\u0000" in request.get_data(cache=True).lower():
            abort(400)
    if any("\x00" in text for text in texts):
        abort(400)


def _error_page(exc: HTTPException):
    """Errors in the visitor's language; JSON for API clients."""
    if request.path.startswith("/api/"):
        return jsonify(error=exc.name, description=exc.description), exc.code
    return render_template("error.html", error=exc), exc.code


def forget_failed_transaction(exc: Exception) -> None:
    """After a database error inside a request: roll the session back (so the error page can still read) and log."""
    db.session.rollback()
    log.warning("database unavailable during %s %s: %s", request.method, request.path,
                str(getattr(exc, "orig", exc)).splitlines()[0][:200])


def _internal_error(exc: Exception):
    db.session.rollback()
    if request.path.startswith("/api/"):
        return jsonify(error="Internal Server Error"), 500
    return render_template("error.html", error=None), 500


# no inline script or style anywhere: JavaScript and CSS come from support/static only
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",       # a status link's ?key= never leaves the site in a Referer
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def _security_headers(response):
    # one pass over the response's headers, not one per header set: this runs for every response
    present = {name.lower() for name in response.headers.keys()}
    response.headers.extend([(name, value) for name, value in HEADERS.items() if name.lower() not in present])
    seconds = current_app.config["HSTS_SECONDS"] or 0
    if request.is_secure and seconds:       # only over HTTPS (ProxyFix x_proto behind a proxy), never on plain HTTP
        response.headers.setdefault("Strict-Transport-Security", f"max-age={int(seconds)}; includeSubDomains")
    return response


def safe_next(target: str | None, fallback: str | None = None) -> str | None:
    """`target` if it is a path on this site, else `fallback`: the guard for every `next=`/`back=` redirect."""
    if not target or not isinstance(target, str):
        return fallback
    # browsers read "\\" as "/" and drop tabs/newlines, so "/\\evil.example" or "/\t/evil.example" leave the site
    if any(c == "\\" or ord(c) < 32 or ord(c) == 127 for c in target):
        return fallback
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return fallback
    return target


# what Sec-Fetch-Site says of a request started by a page of this origin, or by the visitor (typed, bookmarked)
OWN_FETCH_SITES = {"same-origin", "none"}


def from_another_origin() -> bool:
    """Whether the visitor's browser says a page of another origin sent this request: a forged one (CSRF).

    Go's net/http CrossOriginProtection makes the same check. Browsers send Sec-Fetch-Site on every request
    (Safari since 16.4, 2023; Chrome and Firefox before), and Origin on every cross-origin POST (since 2020);
    a request with neither came from no browser, and only a browser can be made to send a visitor's request.
    Unlike a CSRF token it needs no session, so a page with such a form can be the same for every visitor.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site not in OWN_FETCH_SITES
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.host      # "null" counts as another


class Request(flask.Request):
    """Flask's request, with uploaded files kept in memory instead of spooled to a temporary file.

    Every upload is read whole into memory anyway (photos.Upload, to be checked by its content) and
    MAX_CONTENT_LENGTH bounds the request, so the temporary file only added a write and a read of each file:
    about a tenth of a damage report's CPU time with a 2 MB photo.
    """

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


def init_app(app: Flask) -> None:
    """Register the site-wide routes, error handlers and response headers."""
    app.request_class = Request
    # before any blueprint adds its routes: every <int:...> id in a URL must fit the database (support/ids.py)
    app.url_map.converters["int"] = IdConverter
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(500, _internal_error)
    app.before_request(_refuse_nul)
    app.after_request(_security_headers)
