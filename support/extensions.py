"""Unbound Flask extensions and the one place that binds them to an app."""
from flask import Flask
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


def init_app(app: Flask) -> None:
    """Bind every extension to the app."""
    from . import i18n
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    mail.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    login.init_app(app)
    limiter.init_app(app)
