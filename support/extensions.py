"""Unbound Flask extensions and the one place that binds them to an app."""
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from pathlib import Path
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# named constraints, so that Alembic batch migrations on SQLite can alter them
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=str(Path(__file__).parent / "migrations"))
mail = Mail()
babel = Babel()
csrf = CSRFProtect()
login = LoginManager()
limiter = Limiter(key_func=get_remote_address)


class SessionsSignedOnce(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, their serializer built once per secret key instead of on every request.

    Flask builds one to open each request's session (and again to save it), and building one serialises an
    empty dict to probe its serializer: most of what opening the session of a request without a cookie cost."""

    def __init__(self) -> None:
        self._built = None                    # ((secret key, fallbacks), serializer)

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        built = self._built
        if built is None or built[0] != keys:     # a changed key (a test, a rotation) builds a new one
            built = self._built = (keys, super().get_signing_serializer(app))
        return built[1]


def init_app(app: Flask) -> None:
    """Bind every extension to the app."""
    from . import i18n
    app.session_interface = SessionsSignedOnce()
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    mail.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    login.init_app(app)
    limiter.init_app(app)
