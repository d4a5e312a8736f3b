"""Every setting and its default: layer 1 of the configuration (then instance/config.py, then SUPPORT_*
environment variables). No other module sets a default; code reads `current_app.config[KEY]`."""
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
    CANNED_REPLIES_PATH = str(ROOT / "content" / "canned_replies.yaml")
    UPLOAD_DIR = None                      # None: <instance>/uploads
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024  # whole request; single photos are capped lower (PHOTO_MAX_BYTES)
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    # one gettext domain per area, all in support/translations (see Makefile `translations`)
    BABEL_DOMAIN = "core;faq;hours;tickets;mail;agent"
    BABEL_TRANSLATION_DIRECTORIES = ";".join(["translations"] * 6)
    MARKET_OVERRIDES: dict = {}            # e.g. {"no": {"support_email": "..."}}
    MAILBOXES: dict = {}                   # intake address -> {"market": "se"|"no", "queue": "..."}
    PUBLIC_URL = None                      # e.g. "https://support.example.com": links in mail sent by the worker/CLI
    FROZEN_NOW = None                      # ISO 8601; browser tests freeze the clock with it (honoured only if TESTING)

    # --- tickets (support/tickets/) ---
    # routing: ordered rules, first match wins (support/tickets/routing.py explains the fields). Cancellations
    # must be halted before the order is packed, and in-window damage claims have a hard 24-hour clock, so both
    # go first; a late damage report is still handled, but it no longer races a deadline.
    ROUTING_RULES = (
        {"category": "cancellation", "queue": "cancellations", "priority": "urgent"},
        {"category": "damage", "late": False, "queue": "damage", "priority": "urgent"},
        {"category": "damage", "queue": "damage", "priority": "normal"},
        {"category": "stuck-order", "queue": "order-status", "priority": "high"},
        {"category": "other", "queue": None, "priority": "normal"},
    )
    # business minutes to the first answer, looked up as category/priority, category/*, */priority, */*
    RESPONSE_TARGETS = {"cancellation/*": 60, "*/urgent": 120, "*/high": 240, "*/normal": 480, "*/low": 960}
    QUEUES = ("cancellations", "damage", "order-status", "general")   # the queues agents move tickets between
    REQUEST_RATE_LIMIT = "10 per minute;50 per hour"                  # customer form posts per client address
    PHOTO_MAX_BYTES = 15 * 1024 * 1024     # one file
    PHOTO_MAX_COUNT = 10                   # files per web form
    PHOTO_MAX_PIXELS = 64_000_000          # a 48-megapixel phone photo fits; a decompression bomb does not

    # --- mail in (support/mail/) and out (support/outbox/) ---
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_DEFAULT_SENDER = None             # None: the market's support address
    IMAP_ACCOUNTS: list = []               # mailboxes the worker polls (support/mail/fetch.py)
    MAIL_ACK_LIMIT = 5                     # acknowledgements per sender and hour: a runaway sender cannot make us spam
    MESSAGE_ID_DOMAIN = "support.ingrammicro.invalid"   # right-hand side of our signed Message-IDs
    MAIL_MAX_ATTEMPTS = 12                 # sending attempts before a mail is marked failed
    MAIL_RETRY_BASE_SECONDS = 60           # back-off after the first failure, doubled each time ...
    MAIL_RETRY_MAX_SECONDS = 3600          # ... up to this
    MAIL_TIMEOUT_SECONDS = 30              # smtplib waits forever by default
    WORKER_INTERVAL = 30                   # seconds between the worker's rounds

    # --- agents (support/agent/) ---
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT_MINUTES = 15
    LOGIN_RATE_LIMIT = "10 per minute"
    QUEUE_COUNTS_TTL = 15.0                # seconds the navigation's queue counts are reused
    TICKET_SEARCH_WINDOW = 1000            # full-text search ranks the newest this many matching tickets
    TICKET_SEARCH_RARE = 20_000            # PostgreSQL: an estimate under this reads the matches from GIN
    TICKET_SEARCH_MAX_CHARS = 200_000      # of a ticket's messages, indexed (PostgreSQL's tsvector holds 1 MB)
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None             # a form left open over lunch must still submit
    # --- production mode (support/production.py, support/logging_setup.py, SECURITY.md) ---
    # Outside DEBUG/TESTING, create_app refuses to start without a real SECRET_KEY.
    SESSION_COOKIE_SECURE = None           # None: Secure unless DEBUG/TESTING; False only for plain-HTTP setups
    REMEMBER_COOKIE_SECURE = None          # the same rule for Flask-Login's remember-me cookie
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
