"""Shared fixtures: an app per test with the real FAQ content, a client, a CLI runner.

The database is in-memory SQLite, or, with TEST_DATABASE=postgresql, a throwaway PostgreSQL cluster that the
session starts on loopback (scripts/pg-server.sh) and stops at the end.
"""
import os
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import aiosmtpd.handlers
import pytest
from aiosmtpd.controller import Controller
from flask import g, has_app_context
from flask.testing import FlaskClient

from support import create_app
from support.extensions import db, limiter


class SmtpCapture(aiosmtpd.handlers.Message):
    """An aiosmtpd handler that keeps every message it receives (as email.message.Message)."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


PG_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "pg-server.sh"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_capture(port: int):
    """A real SMTP server (aiosmtpd) on loopback for the block; yields the handler that keeps what it received."""
    handler = SmtpCapture()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp_settings(smtp_port):
    """MAIL_* for that server; Flask-Mail copies them when the app is created, so a test config sets them first."""
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_USE_TLS": False, "MAIL_USE_SSL": False,
            "MAIL_SUPPRESS_SEND": False}


@pytest.fixture
def smtp(smtp_port):
    """The server, running for the whole test."""
    with smtp_capture(smtp_port) as handler:
        yield handler


@pytest.fixture(scope="session")
def database_uri():
    """In-memory SQLite, or the URL of a PostgreSQL cluster started for this session."""
    if os.environ.get("TEST_DATABASE") != "postgresql":
        yield "sqlite://"
        return
    folder, port = tempfile.mkdtemp(prefix="pg-"), free_port()
    os.chmod(folder, 0o755)
    subprocess.run(["sh", str(PG_SCRIPT), "start", folder, str(port)], check=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(["sh", str(PG_SCRIPT), "stop", folder], check=False)


@pytest.fixture
def app_config(tmp_path, database_uri):
    return {"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_uri,
            "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "UPLOAD_DIR": str(tmp_path / "uploads"),
            "MAIL_SUPPRESS_SEND": True, "SERVER_NAME": None,
            # tests sign agents and admins in with a password; tests/agent/test_twofactor.py turns the rule on
            "TWO_FACTOR_REQUIRED": "off"}


class FreshRequestClient(FlaskClient):
    """A test client whose requests each start with an empty `g`, as in production.

    The fixtures hold one app context for the whole test (so tests can query the database), and Flask
    reuses it for the client's requests; without this, Flask-Babel's locale and Flask-Login's user cached
    in `g` by one request would leak into the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


def running(config):
    """Create the app and its schema, yield it inside an app context, then tear everything down."""
    app = create_app(config)
    app.test_client_class = FreshRequestClient
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    if app.config["RATELIMIT_ENABLED"]:
        limiter.reset()


@pytest.fixture
def app(app_config):
    yield from running(app_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
