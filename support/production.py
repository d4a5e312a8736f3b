"""Production mode: refuse unsafe settings, tune the database engine, trust the proxy only when told to.

Runs first in create_app, before the extensions bind, because Flask-SQLAlchemy reads its engine options and
Flask-Login its cookie settings when they are initialised.
"""
from __future__ import annotations

import gc
import os
import sqlite3
import weakref

import click

from flask import Flask, current_app, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from .markets import LANGUAGES

# values seen in tutorials and templates: a key anyone can read is no secret
PLACEHOLDER_KEYS = {"dev", "development", "secret", "secret-key", "secret_key", "changeme", "change-me",
                    "change_me", "please-change-me", "your-secret-key", "replace-me", "test", "testing", "x"}
PROXY_FIX_KEYS = {"x_for", "x_proto", "x_host", "x_port", "x_prefix"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOOPBACK = {"127.0.0.1", "::1"}


class UnsafeConfiguration(click.ClickException):
    """The app would run with a setting that is only acceptable in a demo or a test.

    A ClickException, so `flask ...` commands print the message and exit 1 instead of a traceback.
    """


def init_app(app: Flask) -> None:
    """Check secrets, settle cookie flags, set engine options and install ProxyFix when configured."""
    relaxed = app.debug or app.testing
    if not relaxed:
        check_secret_key(app.config.get("SECRET_KEY"))
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config.get(key) is None:
            app.config[key] = not relaxed
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {},
        app.config["SQLITE_BUSY_TIMEOUT_MS"])
    if app.config.get("PROXY_FIX"):
        app.wsgi_app = ProxyFix(app.wsgi_app, **proxy_fix_arguments(app.config["PROXY_FIX"]))


def check_secret_key(key) -> None:
    """Raise UnsafeConfiguration unless `key` is a real secret (set, not a well-known placeholder)."""
    text = key.decode("utf-8", "replace") if isinstance(key, bytes) else (key or "")
    if not str(text).strip():
        raise UnsafeConfiguration(
            "SECRET_KEY is not set. Sessions, CSRF tokens and customers' status links are signed with it. "
            "Set SUPPORT_SECRET_KEY in the environment or SECRET_KEY in instance/config.py, e.g. "
            "python -c 'import secrets; print(secrets.token_hex(32))'.")
    if str(text).strip().lower() in PLACEHOLDER_KEYS:
        raise UnsafeConfiguration(
            f"SECRET_KEY is the placeholder {text!r}; set a random value (secrets.token_hex(32)).")


def engine_options(uri: str, configured: dict, busy_timeout_ms: int) -> dict:
    """Engine options per database: SQLite waits for a busy writer, PostgreSQL checks pooled connections."""
    options = dict(configured)
    if uri.startswith("sqlite"):
        # the driver's timeout is SQLite's busy handler (sqlite3_busy_timeout), in seconds
        options["connect_args"] = {"timeout": busy_timeout_ms / 1000, **options.get("connect_args", {})}
    elif uri.startswith("postgresql"):
        options.setdefault("pool_pre_ping", True)     # a restarted server or a proxy's idle cut is not a 500
        options.setdefault("pool_recycle", 1800)
    return options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL (readers never block the writer), foreign keys enforced as on PostgreSQL, a busy timeout."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")     # a no-op ("memory") for in-memory databases
        cursor.execute("PRAGMA synchronous=NORMAL")   # durable across process crashes in WAL mode
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def proxy_fix_arguments(setting: dict) -> dict:
    """ProxyFix's keyword arguments from PROXY_FIX; an unknown key is a configuration error, not ignored."""
    unknown = set(setting) - PROXY_FIX_KEYS
    if unknown:
        raise UnsafeConfiguration(f"PROXY_FIX has unknown keys {sorted(unknown)}; allowed: {sorted(PROXY_FIX_KEYS)}")
    return {key: int(value) for key, value in setting.items()}


def default_rate_limit() -> str:
    """DEFAULT_RATE_LIMIT of the current app (Flask-Limiter keeps the first app's static default for good)."""
    return current_app.config["DEFAULT_RATE_LIMIT"]


def exempt_from_default_limits() -> bool:
    """The default rate limits skip safe requests (except searches), local searches and signed-in agents.

    A search from loopback is a local tool (an evaluation, a probe) or a reverse proxy that was not told
    to pass the client's address on (PROXY_FIX); limiting that one address would throttle every customer
    at once. Posts from loopback stay limited.
    """
    from flask_login import current_user
    if request.method in SAFE_METHODS:
        if request.endpoint not in current_app.config["RATE_LIMITED_GETS"]:
            return True
        if request.remote_addr in LOOPBACK:
            return True
    return bool(getattr(current_user, "is_authenticated", False))


def settle(app: Flask) -> None:
    """Build now what requests would build lazily, then take it all out of the garbage collector's rounds.

    gunicorn --preload (the README's production command) runs this once in the master, and the workers share
    what it built copy-on-write instead of building their own: the search indexes (with wordfreq's lists), the
    compiled templates, the translation catalogues, and what a first request of each kind imports and caches
    (PREFORK_WARM_UP). A `flask` command serves no pages, so it builds only the indexes (templates alone cost
    0.4 s). Any database connection opened so far is closed, and a forked child starts with a fresh pool, so no
    worker ever talks over a socket or SQLite handle of another process.

    A process keeps some 130,000 long-lived objects (modules, holiday calendars, the search indexes); a full
    collection walks them all, 70-90 ms on this machine, inside whichever request happens to trigger it, and
    writes to each object's header, which would unshare the page it sits on. After gc.freeze() those
    collections walk only what requests create. Skipped for test apps: a test run builds hundreds of apps,
    which frozen could never be collected.
    """
    for lang in LANGUAGES:
        app.extensions["search"].language(lang)
    if click.get_current_context(silent=True) is None:      # a server loads the app, not a `flask` command
        for name in app.jinja_env.list_templates(filter_func=lambda n: n.endswith((".html", ".txt"))):
            app.jinja_env.get_template(name)
        _load_catalogues(app)
        _warm_up(app, app.config["PREFORK_WARM_UP"])
    _fresh_pools_after_fork(app)
    gc.collect()
    gc.freeze()


def _load_catalogues(app: Flask) -> None:
    """Flask-Babel reads a language's catalogues on first use; read all of them now."""
    from flask_babel import force_locale, get_translations
    with app.test_request_context():
        for lang in LANGUAGES:
            with force_locale(lang):
                get_translations()


def _warm_up(app: Flask, paths) -> None:
    """GET each path once in-process (no request log line): what a first request imports and caches is built
    here, once, rather than in every worker. Only read-only pages belong in the list."""
    logged, app.config["LOG_REQUESTS"] = app.config["LOG_REQUESTS"], False
    try:
        client = app.test_client()
        for path in paths:
            client.get(path, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    finally:
        app.config["LOG_REQUESTS"] = logged


_FORKED_ENGINES: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def _fresh_pools_after_fork(app: Flask) -> None:
    """Close this process's pooled connections now; in a forked child, start each engine with an empty pool."""
    with app.app_context():
        engines = list(app.extensions["sqlalchemy"].engines.values())
    for engine in engines:
        engine.dispose()
        _FORKED_ENGINES.add(engine)


def _replace_pools_in_child() -> None:
    # close=False: the parent's connections (if it opened more since) stay the parent's; the child only forgets
    # them. Python reseeds `random` in a forked child by itself; `secrets` and uuid4 read the OS's randomness.
    for engine in list(_FORKED_ENGINES):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_replace_pools_in_child)
