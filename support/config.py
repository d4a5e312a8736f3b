"""Defaults: layer 1 of the configuration (then instance/config.py, then SUPPORT_* environment variables)."""
from datetime import timedelta
from pathlib import Path

from . import production

ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    SECRET_KEY = None                      # required; the demo run and tests set one
    SQLALCHEMY_DATABASE_URI = None         # None: SQLite in the instance folder (set in create_app)
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    FAQ_PATH = str(ROOT / "content" / "faq.yaml")
    SYNONYMS_PATH = str(ROOT / "content" / "synonyms.yaml")
    INFLECTIONS_PATH = str(ROOT / "content" / "inflections.yaml")
    UPLOAD_DIR = None                      # None: <instance>/uploads
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024  # whole request; single photos are capped lower in tickets/photos.py
    LANGUAGES = ("sv", "nb", "en")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    # one gettext domain per area, all in support/translations (see Makefile `translations`)
    BABEL_DOMAIN = "core;faq;hours;tickets;mail;agent"
    BABEL_TRANSLATION_DIRECTORIES = ";".join(["translations"] * 6)
    MARKET_OVERRIDES: dict = {}            # e.g. {"no": {"support_email": "..."}}
    MAILBOXES: dict = {}                   # intake address -> {"market": "se"|"no", "queue": "..."}
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_DEFAULT_SENDER = None             # None: the market's support address
    MAIL_ACK_LIMIT = 5                     # acknowledgements per recipient address and hour, web and mail alike
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None             # a form left open over lunch must still submit
    # --- production mode (support/production.py, support/logging_setup.py, SECURITY.md) ---
    # Outside DEBUG/TESTING, create_app refuses to start without a real SECRET_KEY.
    SESSION_COOKIE_SECURE = None           # None: Secure unless DEBUG/TESTING; False only for plain-HTTP setups
    REMEMBER_COOKIE_SECURE = None          # the same rule for Flask-Login's remember-me cookie
    # how long a signed session cookie is accepted after it was last written (Flask checks it on every request,
    # also for browser-session cookies), and the remember-me cookie's life: a stolen cookie is worth one working
    # day, not Flask's 31 days. Seconds in the environment: SUPPORT_PERMANENT_SESSION_LIFETIME=43200
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = timedelta(hours=12)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PROXY_FIX: dict = {}                   # behind one reverse proxy: {"x_for": 1, "x_proto": 1, "x_host": 1}
    HSTS_SECONDS = 31536000                # Strict-Transport-Security on HTTPS responses; 0 turns it off
    SQLITE_BUSY_TIMEOUT_MS = 30000         # a writer waits this long for another instead of "database is locked"
    LOG_FORMAT = "json"                    # "json" (one object per line) or "text" (key=value)
    LOG_LEVEL = "INFO"
    LOG_REQUESTS = True                    # one log line per request: method, path (no query), status, ms, id
    # default limits per client address and endpoint, for POSTs and the search endpoints; views with their own
    # @limiter.limit (forms, log-in) use theirs. Signed-in agents are exempt from the defaults.
    DEFAULT_RATE_LIMIT = "120 per minute;1800 per hour"  # search-as-you-type sends a request per pause
    RATELIMIT_DEFAULT = production.default_rate_limit     # reads DEFAULT_RATE_LIMIT per request
    RATELIMIT_DEFAULTS_EXEMPT_WHEN = production.exempt_from_default_limits
    RATE_LIMITED_GETS = ("faq.search", "faq.api_search")
