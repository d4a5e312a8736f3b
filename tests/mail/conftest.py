"""Fixtures for the mail tests: the app with intake mailboxes, and a builder of raw messages."""
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from datetime import UTC, datetime

import pytest

from support import create_app
from support.extensions import db

MAILBOXES = {"cancel@example.se": {"market": "se", "queue": "cancellations"},
             "help-se@example.com": {"market": "se", "queue": "general"},
             "help-no@example.com": {"market": "no", "queue": "general"}}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAILBOXES": MAILBOXES, "MAIL_ACK_LIMIT": 3}


@pytest.fixture
def shared_config(app_config, tmp_path):
    """The mail tests' config on a database that other processes can open too (in-memory SQLite cannot)."""
    uri = app_config["SQLALCHEMY_DATABASE_URI"]
    if uri == "sqlite://":
        uri = f"sqlite:///{tmp_path / 'shared.db'}"
    return {**app_config, "SQLALCHEMY_DATABASE_URI": uri}


@pytest.fixture
def shared_app(shared_config):
    app = create_app(shared_config)
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()          # no connection crosses the fork
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def build(*, sender="Kund <kund@foretag.se>", to="help-se@example.com", subject="Fråga", body="Hej!",
          html=None, headers=None, message_id=True, attachments=(), charset="utf-8") -> bytes:
    """A raw RFC 5322 message as a customer's mail program would send it."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = format_datetime(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    if message_id:
        msg["Message-ID"] = message_id if isinstance(message_id, str) else make_msgid(domain="foretag.se")
    for name, value in (headers or {}).items():
        msg[name] = value
    if body is not None:
        msg.set_content(body, charset=charset)
    if html is not None:
        if body is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    for name, data, ctype in attachments:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(msg)


@pytest.fixture
def jpeg():
    import io
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()
