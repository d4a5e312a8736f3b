"""Site-wide pieces: `/` by Accept-Language, the health check, error pages, security headers."""
from flask import Blueprint, Flask, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from .extensions import db
from .i18n import best_language

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


def _error_page(exc: HTTPException):
    """Errors in the visitor's language; JSON for API clients."""
    if request.path.startswith("/api/"):
        return jsonify(error=exc.name, description=exc.description), exc.code
    return render_template("error.html", error=exc), exc.code


def _internal_error(exc: Exception):
    db.session.rollback()
    if request.path.startswith("/api/"):
        return jsonify(error="Internal Server Error"), 500
    return render_template("error.html", error=None), 500


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
    return response


def init_app(app: Flask) -> None:
    """Register the site-wide routes, error handlers and response headers."""
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(500, _internal_error)
    app.after_request(_security_headers)
