"""Every setting and its default: layer 1 of the configuration (then instance/config.py, then SUPPORT_*
environment variables). No other module sets a default; code reads `current_app.config[KEY]`."""
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
    UNANSWERED_PATH = str(ROOT / "content" / "unanswered.yaml")
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
    # service levels (support/tickets/sla.py): business minutes to the first reply, to the next reply after each
    # customer message, and to resolution; first match wins on queue, priority and market ("*" or left out: any).
    # The source material promises no reply times, so these are the desk's own settings, not a promise: the
    # acknowledgement states a time only from them. Every priority needs an entry for any queue (a catch-all), so
    # a queue added later still runs against a target; start-up refuses a gap or a typo.
    SLA_POLICIES = (
        {"queue": "cancellations", "first": 60, "next": 60, "resolution": 480},   # halted before it is packed
        {"priority": "urgent", "first": 120, "next": 120, "resolution": 960},
        {"priority": "high", "first": 240, "next": 240, "resolution": 1440},
        {"priority": "normal", "first": 480, "next": 480, "resolution": 2400},
        {"priority": "low", "first": 960, "next": 960, "resolution": 4800},
    )
    SLA_WARNING_MINUTES = 30               # business minutes left at which a running target turns "warning"
    SLA_DUE_SOON_MINUTES = 120             # the agents' "Due soon" view: running targets due within this
    SLA_QUEUE_LEADS: dict = {}             # queue -> the e-mail of its lead agent: told when an urgent target is missed
    # --- notifications to agents (support/notifications/) ---
    NOTIFY_GATHER_SECONDS = 60             # an agent's notifications are mailed this long after the first: one digest
    NOTIFY_SENDER = None                   # None: the support address of the agent's first market
    QUEUES = ("cancellations", "damage", "order-status", "general")   # the queues agents move tickets between
    # the FAQ answer in the acknowledgement (support/tickets/answers.py): entries never offered there, because
    # their answer is "contact us" (which the customer just did) or a matter a person handles within a deadline
    ACK_ANSWER_EXCLUDED = ("cancel-order", "transport-damage", "order-stuck-status", "delivery-contact",
                           "contact-support")
    ACK_ANSWER_LINK_DAYS = 30              # how long its "this solved it" link works
    # ... and only an answer the search is surest of (support.search_engine.ranking.confidence): the entry matches
    # nearly all of the query, a described situation scores like the entry's full question, or a short question
    # of known words leads far. The results page shows the others too, beside the list; a mailed answer nobody
    # asked for must be right on its own
    ACK_ANSWER_RULES = ("cover", "strong", "loose")
    REQUEST_RATE_LIMIT = "10 per minute;50 per hour"                  # customer form posts per client address
    PHOTO_MAX_BYTES = 15 * 1024 * 1024     # one file
    PHOTO_MAX_COUNT = 10                   # files per web form
    PHOTO_MAX_PIXELS = 64_000_000          # a 48-megapixel phone photo fits; a decompression bomb does not
    PHOTO_MAX_TOTAL_PIXELS = 160_000_000   # one request's photos together: ten 12-megapixel phone photos fit
    # PDFs on the web forms (delivery notes, invoices, the carrier's report): counted with the photos
    PDF_MAX_BYTES = 20 * 1024 * 1024       # a scanned multi-page delivery note fits
    PDF_MAX_PAGES = 50

    # --- mail in (support/mail/) and out (support/outbox/) ---
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_DEFAULT_SENDER = None             # None: the market's support address
    IMAP_ACCOUNTS: list = []               # mailboxes the worker polls (support/mail/fetch.py)
    # an inbound message larger than this is kept (raw, with the reason) but not parsed or made a ticket:
    # its files would be refused anyway (single files are capped at 15 MB) and parsing it would hold the worker
    MAIL_MAX_BYTES = 50 * 1024 * 1024
    MAIL_ACK_LIMIT = 5                     # acknowledgements per recipient address and hour, web and mail alike
    MESSAGE_ID_DOMAIN = "support.ingrammicro.invalid"   # right-hand side of our signed Message-IDs
    MAIL_MAX_ATTEMPTS = 12                 # sending attempts before a mail is marked failed
    MAIL_RETRY_BASE_SECONDS = 60           # back-off after the first failure, doubled each time ...
    MAIL_RETRY_MAX_SECONDS = 3600          # ... up to this
    MAIL_TIMEOUT_SECONDS = 30              # smtplib waits forever by default
    WORKER_INTERVAL = 30                   # seconds between the worker's rounds

    # --- customers' data (support/privacy/, PRIVACY.md) ---
    # Retention per market, in days. These are the operator's decisions, not facts of the law: set them to what
    # the data-processing record states (PRIVACY.md). The clocks start when a ticket is resolved or closed.
    # files_days: photos, documents and the raw mail of a closed ticket (evidence for a claim with the carrier);
    # identity_days: then the customer's name, address, phone, company and the thread's text are anonymised
    #   (the ticket stays, counted by the overview and the service-level figures);
    # unlinked_mail_days: held, ignored and rejected mail that never became part of a ticket, and mail out
    #   that belongs to no ticket.
    RETENTION = {
        "se": {"files_days": 365, "identity_days": 3 * 365, "unlinked_mail_days": 30},
        "no": {"files_days": 365, "identity_days": 3 * 365, "unlinked_mail_days": 30},
    }

    # --- agents (support/agent/) ---
    LOGIN_RATE_LIMIT = "10 per minute"
    QUEUE_COUNTS_TTL = 15.0                # seconds the navigation's queue counts are reused
    AGENT_PRESENCE_POLL_SECONDS = 15       # the ticket page tells the server it is still open this often
    AGENT_PRESENCE_SECONDS = 45            # a colleague counts as on the ticket this long after their last sign
    TICKET_SEARCH_WINDOW = 1000            # full-text search ranks the newest this many matching tickets
    TICKET_SEARCH_RARE = 20_000            # PostgreSQL: an estimate under this reads the matches from GIN
    TICKET_SEARCH_MAX_CHARS = 200_000      # of a ticket's messages, indexed (PostgreSQL's tsvector holds 1 MB)
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None             # a form left open over lunch must still submit
    SEND_FILE_MAX_AGE_DEFAULT = 3600       # static files: a browser reuses them for an hour, then revalidates
    # --- agent sign-in (support/agent/throttle.py, passwords.py, twofactor.py) ---
    # Who must sign in with a second factor (an authenticator app's code) after the password: "admins",
    # "everyone" or "off". Anyone may enrol; whoever must and has not is led to enrolment after the password.
    TWO_FACTOR_REQUIRED = "admins"
    TWO_FACTOR_ISSUER = "Ingram Micro support"   # the account's label in the authenticator app
    TWO_FACTOR_STEP_MINUTES = 10           # how long a half-finished sign-in (code or enrolment) stays open
    # Failed sign-in steps count per client address and typed e-mail address (never a lock on the account):
    # after LOGIN_FREE_FAILURES, that pair waits LOGIN_DELAY_SECONDS, doubled after each further failure.
    LOGIN_FREE_FAILURES = 3
    LOGIN_DELAY_SECONDS = 2
    LOGIN_MAX_DELAY_SECONDS = 300
    # Passwords: at least 10 characters, not the agent's address or name, and zxcvbn score >= this (0-4;
    # 3 is about 10^8 guesses). The extra words are what zxcvbn's English lists miss here.
    PASSWORD_MIN_SCORE = 3
    PASSWORD_EXTRA_WORDS = ("lösenord", "losenord", "passord", "sommar", "sommer", "vinter", "hemlig", "hemmelig",
                            "välkommen", "velkommen", "sverige", "norge", "stockholm", "oslo", "ingram", "micro",
                            "ingrammicro", "support", "kundtjänst", "kundeservice")
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
    LOG_FORMAT = "auto"                    # "auto": "console" on a terminal or in debug, else "json" (one object
                                           # per line); or set "json", "text" (key=value), "console" (for people)
    LOG_LEVEL = "INFO"
    LOG_REQUESTS = True                    # one log line per request: method, path (no query), status, ms, id
    # read-only pages a production app GETs once at start-up (production.settle), so that under gunicorn --preload
    # what a first request imports and caches is built once in the master and shared by the workers. None of them
    # reads the database: an unreachable database must not hold up the start.
    PREFORK_WARM_UP = ("/sv/", "/nb/", "/en/", "/api/faq/search?q=leverans&lang=sv&limit=5", "/sv/contact/damage",
                       "/api/hours?market=se")
    # default limits per client address and endpoint, for POSTs and the search endpoints; views with their own
    # @limiter.limit (forms, log-in) use theirs. Signed-in agents are exempt from the defaults.
    DEFAULT_RATE_LIMIT = "120 per minute;1800 per hour"  # search-as-you-type sends a request per pause
    RATELIMIT_DEFAULT = production.default_rate_limit     # reads DEFAULT_RATE_LIMIT per request
    RATELIMIT_DEFAULTS_EXEMPT_WHEN = production.exempt_from_default_limits
    RATE_LIMITED_GETS = ("faq.search", "faq.api_search")
