"""operations.py: the one write path. References, routing, due times, the 24-hour rule, rollback, threads."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from support import hours
from support.extensions import db
from support.mail.models import InboundMail
from support.outbox import OutboxMail
from support.tickets import operations, references
from support.tickets.models import Attachment, Event, Message, Ticket
from support.tickets.photos import PhotoRejected, Upload

from . import images
from .conftest import MONDAY_10


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("category, queue, priority, minutes", [
    ("cancellation", "cancellations", "urgent", 60),     # cancellation/* overrides the urgent target
    ("stuck-order", "order-status", "high", 240),
    ("other", "general", "normal", 480),
])
def test_ticket_is_routed_and_due_in_business_time(app, make_ticket, category, queue, priority, minutes):
    ticket = make_ticket(category=category)
    market = app.extensions["markets"]["se"]
    assert (ticket.queue, ticket.priority, ticket.status) == (queue, priority, "new")
    assert ticket.due_at == hours.add_business_minutes(market, MONDAY_10, minutes).astimezone(
        hours.zone("UTC")).replace(tzinfo=None)
    assert ticket.events[0].action == "created" and ticket.events[0].data["queue"] == queue


def test_due_times_are_concrete(app, make_ticket):
    """The table above in wall-clock terms, so a broken calendar cannot pass by computing the same wrong thing."""
    tz = hours.zone("Europe/Stockholm")
    due = {c: make_ticket(category=c).due_at.replace(tzinfo=hours.zone("UTC")).astimezone(tz)
           for c in ("cancellation", "stuck-order", "other")}
    assert due["cancellation"].strftime("%a %H:%M") == "Mon 11:00"
    assert due["stuck-order"].strftime("%a %H:%M") == "Mon 15:00"      # lunch 12-13 is not business time
    assert due["other"].strftime("%a %H:%M") == "Tue 10:30"            # 6 h today (10-12, 13-17), 2 h Tuesday


def test_references_count_per_market(make_ticket):
    refs = [make_ticket(market=m).reference for m in ("se", "se", "no", "se")]
    assert refs == ["SE-000001", "SE-000002", "NO-000001", "SE-000003"]


def test_secret_is_unguessable_and_unique(make_ticket):
    a, b = make_ticket(), make_ticket()
    assert a.secret != b.secret and len(a.secret) >= 40


@pytest.mark.parametrize("delivered_hours_ago, late, priority", [
    (2, False, "urgent"),        # well inside the window
    (23.9, False, "urgent"),     # just inside
    (24.1, True, "normal"),      # just outside: accepted, flagged late
    (72, True, "normal"),        # a weekend later
])
def test_24_hour_rule(make_ticket, jpeg, delivered_hours_ago, late, priority):
    ticket = make_ticket(category="damage", delivered_at=MONDAY_10 - timedelta(hours=delivered_hours_ago),
                         uploads=[Upload("skada.jpg", jpeg)])
    assert ticket.damage_late is late
    assert ticket.priority == priority
    assert len(ticket.attachments) == 1, "a late report keeps everything that was sent"


def test_web_damage_needs_a_photo_but_mail_does_not(make_ticket):
    with pytest.raises(PhotoRejected, match="Lägg till minst ett foto"):    # the customer's language (sv)
        make_ticket(category="damage", delivered_at=MONDAY_10)
    assert _count(Ticket) == 0
    ticket = make_ticket(category="damage", channel="email", delivered_at=MONDAY_10)
    assert ticket.category == "damage"


def test_photos_are_stored_with_evidence(app, make_ticket, jpeg, tmp_path):
    ticket = make_ticket(category="damage", delivered_at=MONDAY_10,
                         uploads=[Upload("a.jpg", jpeg), Upload("b.heic", images.photo("HEIF"))])
    first = ticket.attachments[0]
    assert first.stored_name.startswith("SE-000001/") and first.message is ticket.messages[0]
    assert (tmp_path / "uploads" / first.stored_name).is_file()
    assert (tmp_path / "uploads" / first.thumb_name).is_file()
    # the EXIF clock 10:11:12 without an offset is Stockholm time, stored as UTC
    assert first.taken_at.isoformat() == "2026-03-02T09:11:12"
    assert ticket.attachments[1].mime_type == "image/jpeg"


def test_a_refused_photo_stores_nothing(app, make_ticket, jpeg, tmp_path):
    with pytest.raises(PhotoRejected) as refused:
        make_ticket(category="damage", delivered_at=MONDAY_10,
                    uploads=[Upload("ok.jpg", jpeg), Upload("shell.jpg", images.PHP)])
    assert refused.value.filename == "shell.jpg"
    assert _count(Ticket) == 0 and _count(OutboxMail) == 0
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").rglob("*.*"))


def test_failed_commit_leaves_no_file_and_no_row(app, make_ticket, jpeg, tmp_path):
    # a row already holds SE-000001 while the counter row is missing: the commit hits the unique constraint
    blocker = Ticket(reference="SE-000001", secret="x", market="se", language="sv", channel="web",
                     category="other", queue="general", subject="old", customer_email="a@example.se")
    db.session.add(blocker)
    db.session.commit()
    with pytest.raises(IntegrityError):
        make_ticket(category="damage", delivered_at=MONDAY_10, uploads=[Upload("a.jpg", jpeg)] * 3)
    assert [f for f in (tmp_path / "uploads").rglob("*") if f.is_file()] == []
    assert _count(Ticket) == 1 and _count(Message) == 0 and _count(Attachment) == 0
    assert _count(OutboxMail) == 0 and _count(Event) == 0


def test_acknowledgement_is_queued_in_the_same_commit(app, make_ticket):
    ticket = make_ticket(category="cancellation", order_numbers="4400123")
    mail = db.session.scalars(select(OutboxMail)).one()
    assert mail.ticket_id == ticket.id and mail.recipient == "kund@example.se"
    assert mail.subject.startswith("[SE-000001]")
    assert mail.sender == "support-se@ingrammicro.com"
    assert mail.headers["Auto-Submitted"] == "auto-replied"
    assert mail.body_html and "SE-000001" in mail.body_text


def test_no_acknowledgement_when_asked_not_to(make_ticket):
    make_ticket(acknowledge=False)
    assert _count(OutboxMail) == 0


def test_norway_without_an_address_uses_the_default_sender_or_records_why(app, make_ticket):
    ticket = make_ticket(market="no", language="nb")
    assert _count(OutboxMail) == 0, "no invented Norwegian address"
    assert ticket.events[-1].action == "acknowledgement-skipped"
    app.config["MAIL_DEFAULT_SENDER"] = "kundeservice@example.no"
    make_ticket(market="no", language="nb")
    assert db.session.scalars(select(OutboxMail)).one().sender == "kundeservice@example.no"


def test_customer_message_reopens_and_links_mail(app, make_ticket):
    ticket = make_ticket()
    ticket.status = "resolved"
    db.session.commit()
    inbound = InboundMail(message_id="<x@example.se>", mailbox="support-se@ingrammicro.com", sha256="0" * 64,
                          raw=b"raw", action="appended")
    db.session.add(inbound)
    db.session.flush()
    message = operations.add_customer_message(ticket, "Det hjälpte inte.", [Upload("faktura.pdf", b"%PDF-1.4 x")],
                                              now=MONDAY_10 + timedelta(days=1), sender="kund@example.se",
                                              inbound_id=inbound.id, mail_message_id=inbound.message_id)
    assert ticket.status == "open" and [e.action for e in ticket.events][-2:] == ["message", "reopened"]
    # the message records the stored mail it came in; linking the mail row to the ticket is mail intake's
    # (tests/mail/test_ingest.py)
    assert message.inbound_id == inbound.id and message.mail_message_id == "<x@example.se>"
    assert message.attachments[0].mime_type == "application/pdf"


def test_concurrent_first_tickets_of_a_market_share_the_counter(app, make_ticket):
    """Two allocations in one transaction (the second sees the row the first inserted) stay distinct."""
    first = references.allocate("no")
    second = references.allocate("no")
    db.session.rollback()
    assert (first, second) == ("NO-000001", "NO-000002")
