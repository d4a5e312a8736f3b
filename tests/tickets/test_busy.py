"""A database locked past its busy timeout (issue 19, item 6): the customer gets the form back as typed, with
"please try again" in their language and a 503, instead of a bare 500 that lost what they wrote.

The lock is real: a second SQLite connection holds the write lock, as a long write by another process would.
"""
import contextlib
import sqlite3

import pytest
from sqlalchemy import func, select

from support.extensions import db
from support.tickets import links
from support.tickets.models import Message, Ticket

from ..conftest import running
from .conftest import form_fields, multipart

BUSY_SV = "Just nu är det mycket tryck hos oss"


@pytest.fixture
def path(tmp_path):
    return tmp_path / "busy.db"


@pytest.fixture
def app(app_config, path):
    """This test is about SQLite's lock, also when the suite runs on PostgreSQL."""
    yield from running({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SQLITE_BUSY_TIMEOUT_MS": 100})


@contextlib.contextmanager
def write_lock(path):
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")            # holds the write lock until the rollback
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_busy_database_keeps_the_typed_form(app, client, path):
    typed = form_fields("cancellation", company="Låsta Bolaget AB", description="Beställde fel modell, förlåt!")
    with write_lock(path):
        response = client.post("/sv/contact/cancellation", **multipart(typed))
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert BUSY_SV in page and "skicka igen" in page
    assert 'value="Låsta Bolaget AB"' in page and "Beställde fel modell, förlåt!" in page
    assert db.session.scalar(select(func.count(Ticket.id))) == 0
    again = client.post("/sv/contact/cancellation", **multipart(typed))          # the lock is gone: it goes through
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(Ticket.id))) == 1


def test_a_busy_database_asks_for_the_photos_again_on_the_damage_form(app, client, path, jpeg):
    typed = {**form_fields("damage"), "photos": [("skada.jpg", jpeg)]}
    with write_lock(path):
        response = client.post("/nb/contact/damage", **multipart(typed))
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "stor pågang" in page and "legg dem til på nytt" in page
    assert "Skärmen är sprucken, kartongen intryckt." in page


def test_a_busy_database_keeps_a_message_on_the_status_page(app, client, path, make_ticket):
    ticket = make_ticket()
    url = f"/sv/ticket/{ticket.reference}?key={links.status_key(ticket)}"
    with write_lock(path):
        response = client.post(url, **multipart({"body": "Här är ordernumret: 4400999"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "ditt meddelande har inte sparats" in page and "Här är ordernumret: 4400999" in page
    assert db.session.scalar(select(func.count(Message.id)).where(Message.ticket_id == ticket.id)) == 1
