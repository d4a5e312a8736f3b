"""Held mail: automated and refused mail listed with its reason for the agents of its market, made a ticket
through the normal intake (audited), dismissed, or its sender let through the loop guard from then on."""
from sqlalchemy import select

from support.agent import accounts
from support.extensions import db
from support.mail.ingest import ingest
from support.mail.models import InboundMail
from support.tickets.models import Ticket

from .conftest import build

PASSWORD = "correct horse battery staple"


def _signed_in(app, email, markets="se,no", role="agent"):
    agent = accounts.create_agent(email, email.split("@")[0].title(), PASSWORD, role=role, markets=markets)
    client = app.test_client()
    assert client.post("/agent/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client, agent


def _auto_reply(jpeg):
    return build(sender="Kund <kund@foretag.se>", subject="Frånvaro: Skadad leverans", body="Jag är på semester.",
                 headers={"Auto-Submitted": "auto-replied"}, attachments=[("skada.jpg", jpeg, "image/jpeg")])


def test_held_mail_is_listed_with_its_reason_for_its_market(app, jpeg):
    ingest(_auto_reply(jpeg))
    ingest(build(sender="", to="help-no@example.com", subject="Utan avsändare"))
    se, _ = _signed_in(app, "anna@example.test", markets="se")
    no, _ = _signed_in(app, "ola@example.test", markets="no")
    page_se = se.get("/agent/held").get_data(as_text=True)
    page_no = no.get("/agent/held").get_data(as_text=True)
    assert "Frånvaro: Skadad leverans" in page_se and "Auto-Submitted: auto-replied" in page_se
    assert "Frånvaro" not in page_no and "Utan avsändare" in page_no and "no sender address" in page_no
    se_row = db.session.scalar(select(InboundMail).where(InboundMail.subject == "Frånvaro: Skadad leverans"))
    no_row = db.session.scalar(select(InboundMail).where(InboundMail.subject == "Utan avsändare"))
    assert no.get(f"/agent/held/{se_row.id}").status_code == 404              # the other market's mail
    assert no.post(f"/agent/held/{se_row.id}/release").status_code == 404
    assert se.get(f"/agent/held/{no_row.id}.eml").status_code == 404
    assert ">1<" in se.get("/agent/").get_data(as_text=True).replace(" ", "")   # the count in the navigation


def test_make_a_ticket_goes_through_the_intake_with_the_attachments(app, jpeg):
    ingest(_auto_reply(jpeg))
    client, agent = _signed_in(app, "anna@example.test")
    row = db.session.scalar(select(InboundMail))
    preview = client.get(f"/agent/held/{row.id}").get_data(as_text=True)
    assert "Jag är på semester." in preview and "skada.jpg" in preview
    raw = client.get(f"/agent/held/{row.id}.eml")
    assert raw.mimetype == "text/plain" and b"Auto-Submitted: auto-replied" in raw.data
    response = client.post(f"/agent/held/{row.id}/release")
    ticket = db.session.scalar(select(Ticket))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/agent/tickets/{ticket.reference}")
    assert [a.original_name for a in ticket.attachments] == ["skada.jpg"]
    assert ticket.events[-1].action == "mail-released" and ticket.events[-1].actor == agent.email
    db.session.refresh(row)
    assert (row.action, row.review, row.ticket_id) == ("created", "released", ticket.id)
    assert "Frånvaro" not in client.get("/agent/held").get_data(as_text=True)
    assert client.post(f"/agent/held/{row.id}/release").status_code == 302          # settled: refused, no 500
    assert db.session.scalar(select(db.func.count(Ticket.id))) == 1


def test_allowed_sender_gets_through_the_loop_guard_next_time(app):
    bulk = {"Precedence": "bulk"}
    first = ingest(build(sender="Kund <kund@foretag.se>", subject="Order 123", headers=bulk))
    assert first.action == "ignored"
    client, _ = _signed_in(app, "anna@example.test")
    row = db.session.scalar(select(InboundMail))
    assert client.post(f"/agent/held/{row.id}/allow").status_code == 302
    second = ingest(build(sender="kund@foretag.se", subject="Order 124", headers=bulk))
    assert second.action == "created"
    bounce = ingest(build(sender="mailer-daemon@foretag.se", subject="Undelivered Mail Returned to Sender",
                          headers=bulk))
    assert bounce.action == "ignored"                       # another sender is still held


def test_dismissed_mail_leaves_the_list_but_stays_stored(app):
    ingest(build(subject="Nyhetsbrev", headers={"Precedence": "list"}))
    client, _ = _signed_in(app, "anna@example.test")
    row = db.session.scalar(select(InboundMail))
    assert client.post(f"/agent/held/{row.id}/dismiss").status_code == 302
    assert "Nyhetsbrev" not in client.get("/agent/held").get_data(as_text=True)
    db.session.refresh(row)
    assert row.review == "dismissed" and row.raw


def test_odd_held_mail_urls_are_404(app):
    client, _ = _signed_in(app, "anna@example.test")
    for url in ("/agent/held/99999999999999999999", "/agent/held/1.eml"):
        assert client.get(url).status_code == 404
    for url in ("/agent/held/99999999999999999999/dismiss", "/agent/held/1/unknown"):
        assert client.post(url).status_code == 404
