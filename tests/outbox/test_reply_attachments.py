"""An agent's reply with files: a PDF travels as a MIME part to a real SMTP server (aiosmtpd), and the customer's
status page offers it (issue 17, item 2)."""
import io

import pytest
from sqlalchemy import select

from support.agent import accounts
from support.extensions import db
from support.outbox import OutboxMail, sender
from support.tickets import links
from support.tickets.models import Ticket
from support.tickets.operations import Draft, open_ticket

from ..tickets.conftest import MONDAY_10
from ..tickets.images import pdf

PASSWORD = "correct horse battery staple"


@pytest.fixture
def app_config(app_config, smtp_settings):
    return {**app_config, **smtp_settings}


def test_a_pdf_on_a_reply_reaches_the_customer_and_their_status_page(app, client, smtp):
    ticket = open_ticket(Draft(market="se", language="sv", channel="email", category="other", subject="Retur",
                               body="Hur skickar jag tillbaka varan?", customer_email="anna@kund.example"),
                         now=MONDAY_10)
    accounts.create_agent("agent@example.test", "Agnes Agent", PASSWORD)
    assert client.post("/agent/login", data={"email": "agent@example.test", "password": PASSWORD}).status_code == 302
    label = pdf()
    response = client.post(f"/agent/tickets/{ticket.reference}/reply", content_type="multipart/form-data", data={
        "body": "Här är returfraktsedeln.", "status": "pending", "version": ticket.version,
        "files": (io.BytesIO(label), "returfraktsedel.pdf", "application/pdf")})
    assert response.status_code == 302
    assert sender.send_due().sent >= 1
    [mail] = [m for m in smtp.messages if m["To"] == "anna@kund.example" and "Re:" in m["Subject"]]
    parts = [p for p in mail.walk() if p.get_filename()]
    assert [(p.get_filename(), p.get_content_type()) for p in parts] == [("returfraktsedel.pdf", "application/pdf")]
    assert parts[0].get_payload(decode=True) == label
    ticket = db.session.scalar(select(Ticket))
    [reply] = [m for m in ticket.messages if m.kind == "reply"]
    [file] = reply.attachments
    key = links.status_key(ticket)
    page = client.get(f"/sv/ticket/{ticket.reference}?key={key}").get_data(as_text=True)
    assert f"/ticket/{ticket.reference}/files/{file.id}" in page and "returfraktsedel.pdf" in page
    with client.get(f"/ticket/{ticket.reference}/files/{file.id}?key={key}") as served:
        assert served.status_code == 200 and served.data == label


def test_a_forged_pdf_on_a_reply_is_refused_and_nothing_is_queued(app, client):
    ticket = open_ticket(Draft(market="se", language="sv", channel="email", category="other", subject="Retur",
                               body="Fråga", customer_email="anna@kund.example"), now=MONDAY_10)
    accounts.create_agent("agent@example.test", "Agnes Agent", PASSWORD)
    client.post("/agent/login", data={"email": "agent@example.test", "password": PASSWORD})
    before = db.session.scalar(select(db.func.count(OutboxMail.id)))
    response = client.post(f"/agent/tickets/{ticket.reference}/reply", content_type="multipart/form-data", data={
        "body": "Se bilagan.", "status": "pending", "version": ticket.version,
        "files": (io.BytesIO(b"<?php system($_GET['c']); ?>"), "label.pdf", "application/pdf")})
    assert response.status_code == 400 and "label.pdf" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(OutboxMail.id))) == before
