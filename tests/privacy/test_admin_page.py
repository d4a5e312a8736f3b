"""The admins' privacy page: preview changes nothing, erasure needs the box ticked, export downloads the ZIP;
agents who are not admins do not get in."""
import io
import zipfile

from sqlalchemy import func, select

from support.agent import accounts
from support.extensions import db
from support.privacy.models import PrivacyLog
from support.tickets import links
from support.tickets.models import Message, Ticket

from .conftest import ANNA

PASSWORD = "correct horse battery"


def _sign_in(client, email):
    assert client.post("/agent/login", data={"email": email, "password": PASSWORD}).status_code == 302


def test_preview_then_erase(app, desk, client):
    status_link = links.status_url(desk.anna_web, external=False)
    assert client.get(status_link).status_code == 200
    _sign_in(client, "agent@example.test")
    page = client.post("/agent/privacy", data={"email": ANNA, "action": "preview"})
    assert page.status_code == 200 and ("Meddelanden" in page.text or "Messages" in page.text)
    assert db.session.scalar(select(func.count()).select_from(PrivacyLog)) == 0
    unconfirmed = client.post("/agent/privacy", data={"email": ANNA, "action": "erase"})
    assert unconfirmed.status_code == 200 and db.session.scalar(select(func.count()).select_from(PrivacyLog)) == 0
    done = client.post("/agent/privacy", data={"email": ANNA, "action": "erase", "confirm": "y"})
    assert done.status_code == 302
    log = db.session.scalars(select(PrivacyLog)).one()
    assert log.action == "erase" and log.actor == "agent@example.test" and log.counts["tickets"] == 2
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Ticket).where(Ticket.customer_email == ANNA)) == 0
    assert db.session.scalar(select(func.count()).select_from(Message)) == 1      # Per's message only
    assert client.get(f"/agent/tickets/{desk.anna_web.reference}").status_code == 200   # an empty thread shows
    assert client.get(status_link).status_code == 404                                 # her link is dead


def test_export_downloads_a_zip(app, desk, client):
    _sign_in(client, "agent@example.test")
    response = client.post("/agent/privacy", data={"email": ANNA, "action": "export"})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "tickets.json" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()


def test_only_admins(app, desk, client):
    accounts.create_agent("plain@example.test", "Plain", PASSWORD, role="agent")
    _sign_in(client, "plain@example.test")
    assert client.get("/agent/privacy").status_code == 403
    assert client.post("/agent/privacy", data={"email": ANNA, "action": "erase", "confirm": "y"}).status_code == 403
