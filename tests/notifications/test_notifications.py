"""Agents hear about what matters, through the real paths: mail intake, agent operations, the worker's jobs,
the outbox and a real SMTP server (aiosmtpd on loopback)."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from support.extensions import db
from support.mail.ingest import ingest
from support.notifications import mailing, store
from support.notifications.models import Notification
from support.outbox import OutboxMail, sender
from support.tickets import operations
from support.tickets.models import Ticket
from tests.conftest import smtp_capture
from tests.mail.conftest import build

MONDAY_10 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)          # 10:00 in Stockholm: open


@pytest.fixture
def app_config(app_config, smtp_settings):
    return {**app_config, **smtp_settings}


def cancellation(n=1, sender_address="inkop@kund.se"):
    return build(sender=f"Inköp <{sender_address}>", to="cancel@example.se", subject=f"Makulera order 44001{n:02d}",
                 body=f"Hej! Vi vill makulera order 44001{n:02d}, den beställdes av misstag.")


def notes(kind=None):
    stmt = select(Notification)
    return db.session.scalars(stmt.where(Notification.kind == kind) if kind else stmt).all()


def test_an_urgent_cancellation_mailed_in_is_mailed_to_each_agent_of_its_queue_and_market(app, make_agent,
                                                                                          smtp_port):
    told = [make_agent("eva@example.test", queues="cancellations"), make_agent("ola@example.test")]  # all queues
    make_agent("nils@example.test", markets="no")                           # other market
    make_agent("dana@example.test", queues="damage")                        # other queue
    make_agent("quiet@example.test", notify=["assigned"])                   # does not want to hear of it
    out = ingest(cancellation(), now=MONDAY_10)
    ticket = db.session.scalar(select(Ticket).filter_by(reference=out.ticket))
    assert (ticket.queue, ticket.priority) == ("cancellations", "urgent")
    assert sorted(n.agent.email for n in notes("urgent")) == sorted(a.email for a in told)
    assert store.unread_count(told[0]) == 1

    assert mailing.mail_due(MONDAY_10 + timedelta(minutes=1)) == 2
    assert mailing.mail_due(MONDAY_10 + timedelta(minutes=2)) == 0          # told once
    with smtp_capture(smtp_port) as handler:
        sender.send_due()
    mails = [m for m in handler.messages if m["X-RcptTo"] != "inkop@kund.se"]
    assert sorted(m["X-RcptTo"] for m in mails) == ["eva@example.test", "ola@example.test"]
    assert all(m["Auto-Submitted"] == "auto-replied" for m in mails)        # no auto-reply back at us
    body = mails[0].get_payload(decode=True).decode()
    assert ticket.reference in body and f"/agent/tickets/{ticket.reference}" in body
    assert "Nytt brådskande ärende" in body                                 # the agent's language (sv first)


def test_a_burst_becomes_one_digest_mail(app, make_agent):
    eva = make_agent("eva@example.test", queues="cancellations")
    for n in range(4):
        ingest(cancellation(n, f"inkop{n}@kund{n}.se"), now=MONDAY_10 + timedelta(seconds=n))
    assert mailing.mail_due(MONDAY_10 + timedelta(minutes=1)) == 1
    mail = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "notification")).one()
    assert (mail.recipient, mail.subject) == (eva.email, "4 aviseringar från kundtjänst")
    assert mail.body_text.count("/agent/tickets/SE-") == 4


def test_mail_waits_for_the_opening_unless_the_agent_asked_for_it_after_hours(app, make_agent):
    make_agent("eva@example.test", queues="cancellations")
    make_agent("ola@example.test", queues="cancellations", off_hours=True)
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    ingest(cancellation(), now=saturday)
    assert mailing.mail_due(saturday + timedelta(minutes=1)) == 1           # only Ola's
    assert mailing.mail_due(datetime(2026, 3, 9, 7, 31, tzinfo=UTC)) == 1    # Monday 08:31: Eva's
    assert sorted(db.session.scalars(select(OutboxMail.recipient).where(OutboxMail.kind == "notification"))) == \
        ["eva@example.test", "ola@example.test"]


def test_the_assignee_hears_of_a_customer_answer_and_of_a_colleagues_assignment_not_of_their_own(app, make_agent):
    eva, ola = make_agent("eva@example.test", queues="general"), make_agent("ola@example.test", queues="general")
    out = ingest(build(subject="Fråga om faktura", body="Var är fakturan?"), now=MONDAY_10)
    ticket = db.session.scalar(select(Ticket).filter_by(reference=out.ticket))
    operations.assign(ticket, eva, eva, version=ticket.version, now=MONDAY_10)          # her own doing: nothing
    assert notes("assigned") == []
    operations.assign(ticket, ola, eva, version=ticket.version, now=MONDAY_10)          # no change: nothing
    operations.assign(ticket, eva, ola, version=ticket.version, now=MONDAY_10)          # Eva hands it to Ola
    assert [(n.agent.email, n.ticket_id) for n in notes("assigned")] == [(ola.email, ticket.id)]
    operations.reply(ticket, ola, "Hej! Fakturan kommer.", version=ticket.version, now=MONDAY_10)
    ours = db.session.scalars(select(OutboxMail.message_id).where(OutboxMail.kind == "reply")).one()
    ingest(build(subject="Re: Fråga om faktura", body="Tack, men den har inte kommit.",
                 headers={"In-Reply-To": ours, "References": ours}), now=MONDAY_10 + timedelta(hours=1))
    assert [n.agent.email for n in notes("customer_reply")] == [ola.email]


def test_the_list_page_shows_the_unread_count_and_marks_read(app, client, make_agent):
    eva = make_agent("eva@example.test", queues="cancellations")
    ingest(cancellation(), now=MONDAY_10)
    client.post("/agent/login", data={"email": eva.email, "password": "a long enough password"})
    html = client.get("/agent/notifications/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert 'aria-label="1 olästa"' in html and "Nytt brådskande ärende SE-000001" in html
    client.post("/agent/notifications/read")
    assert store.unread_count(eva) == 0
    client.post("/agent/notifications/preferences", data={"notify": ["assigned"], "queue": ["damage"]})
    db.session.refresh(eva)
    assert (eva.notify, eva.queues, eva.notify_off_hours) == ("assigned", "damage", False)


def test_opening_a_notification_leads_to_its_ticket_and_marks_only_it_read(app, client, make_agent):
    eva = make_agent("eva@example.test", queues="cancellations")
    ola = make_agent("ola@example.test", queues="cancellations")
    ingest(cancellation(1), now=MONDAY_10)
    ingest(cancellation(2, sender_address="ekonomi@kund.se"), now=MONDAY_10)
    first, second = sorted((n for n in notes("urgent") if n.agent_id == eva.id), key=lambda n: n.id)
    theirs = next(n for n in notes("urgent") if n.agent_id == ola.id)
    client.post("/agent/login", data={"email": eva.email, "password": "a long enough password"})
    html = client.get("/agent/notifications/").get_data(as_text=True)
    assert f'href="/agent/notifications/{first.id}"' in html
    response = client.get(f"/agent/notifications/{first.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/agent/tickets/{first.ticket.reference}")
    db.session.expire_all()
    assert first.read_at is not None and second.read_at is None and store.unread_count(eva) == 1
    assert client.get(f"/agent/notifications/{first.id}").status_code == 302          # again: still the ticket
    assert client.get(f"/agent/notifications/{theirs.id}").status_code == 404         # a colleague's
    assert client.get("/agent/notifications/99999999").status_code == 404
    db.session.expire_all()
    assert theirs.read_at is None
