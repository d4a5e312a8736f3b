"""Defaults: layer 1 of the configuration (then instance/config.py, then SUPPORT_* environment variables)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    SECRET_KEY = None                      # required; the demo run and tests set one
    SQLALCHEMY_DATABASE_URI = None         # None: SQLite in the instance folder (set in create_app)
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    FAQ_PATH = str(ROOT / "content" / "faq.yaml")
    SYNONYMS_PATH = str(ROOT / "content" / "synonyms.yaml")
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
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None             # a form left open over lunch must still submit
