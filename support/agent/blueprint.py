"""The agent workspace's blueprint, which its view modules (views, ticket_views, admin_views) declare their
routes on; the package's __init__ imports them all, so every route is registered before the app takes it."""
from functools import wraps

from flask import Blueprint, abort, current_app
from flask_login import current_user, login_required

bp = Blueprint("agent", __name__, url_prefix="/agent")


def admin_required(view):
    """Only admins; anonymous visitors go to the sign-in page first."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def login_limit() -> str:
    """The rate limit of the sign-in steps (password and code): LOGIN_RATE_LIMIT, read per request."""
    return current_app.config["LOGIN_RATE_LIMIT"]
