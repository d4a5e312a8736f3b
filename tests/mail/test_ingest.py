"""Intake end to end on the database: tickets, duplicates, two mailboxes, threading, loops, rate limit."""
from datetime import UTC, datetime

from sqlalchemy import event as sa_event
from sqlalchemy import func, inspect, select, update

from support.extensions import db
from support.mail.ingest import ingest
from support.mail.models import InboundMail
from support.outbox import OutboxMail
from support.tickets.models import Event, Ticket

from .conftest import build

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_new_mail_opens_a_ticket_with_photos_and_an_acknowledgement(app, jpeg):
    raw = build(subject="Transportskada", body="Hej, två skärmar kom krossade. Order 12-34567-89. Se bild.",
                attachments=[("bild1.jpg", jpeg, "image/jpeg")])
    out = ingest(raw, now=NOW)
    assert (out.action, out.category) == ("created", "damage")
    ticket = db.session.scalar(select(Ticket))
    assert (ticket.reference, ticket.channel, ticket.language, ticket.market) == (out.ticket, "email", "sv", "se")
    assert ticket.order_numbers == "12-34567-89"
    assert [a.mime_type for a in ticket.attachments] == ["image/jpeg"]
    inbound = db.session.scalar(select(InboundMail))
    assert (inbound.raw, inbound.ticket_id, inbound.action) == (raw, ticket.id, "created")
    assert count(OutboxMail, OutboxMail.recipient == "kund@foretag.se") == 1


def test_same_message_twice_at_one_mailbox_is_ignored(app):
    raw = build()
    first, again = ingest(raw, now=NOW), ingest(b"Received: from relay\r\n" + raw, now=NOW)
    assert (again.action, again.reason, again.ticket) == ("ignored", "already received", first.ticket)
    assert count(Ticket) == 1


def test_missing_message_id_uses_a_digest(app):
    raw = build(message_id=False)
    assert [ingest(raw, now=NOW).action, ingest(raw, now=NOW).action] == ["created", "ignored"]


def test_reused_message_id_with_other_content_is_not_dropped(app):
    one = build(message_id="<reused@foretag.se>", body="Första frågan om fakturan.")
    two = build(message_id="<reused@foretag.se>", body="En helt annan fråga om leveransen.")
    assert [ingest(one, now=NOW).action, ingest(two, now=NOW).action] == ["created", "created"]


def test_same_message_at_two_mailboxes_makes_one_ticket_recording_both(app):
    raw = build(to="help-se@example.com, cancel@example.se", subject="Avboka", body="Avboka order 12-34567-89")
    first = ingest(raw, mailbox="help-se@example.com", now=NOW)
    second = ingest(raw, mailbox="cancel@example.se", now=NOW)
    assert (first.action, second.action, second.ticket) == ("created", "appended", first.ticket)
    assert count(Ticket) == 1
    assert sorted(db.session.scalars(select(InboundMail.mailbox))) == ["cancel@example.se", "help-se@example.com"]
    assert count(Event, Event.action == "mail-copy") == 1
    assert ingest(raw, mailbox="cancel@example.se", now=NOW).action == "ignored"


def test_automated_mail_is_kept_for_review_but_opens_nothing(app):
    out = ingest(build(headers={"Auto-Submitted": "auto-replied"}), now=NOW)
    assert (out.action, out.ticket) == ("ignored", None)
    assert count(Ticket) == count(OutboxMail) == 0
    assert db.session.scalar(select(InboundMail.reason)).startswith("Auto-Submitted")


def test_reply_to_our_signed_message_id_appends_and_reopens(app):
    first = ingest(build(subject="Fråga om faktura"), now=NOW)
    ticket = db.session.scalar(select(Ticket))
    ticket.status = "resolved"
    db.session.commit()
    ours = db.session.scalar(select(OutboxMail.message_id))
    # a different sender, no tag: the signed Message-ID alone is trusted
    reply = build(sender="kollega@annat.se", subject="Re: svar", body="Tack, men fakturan saknas fortfarande.",
                  headers={"In-Reply-To": ours, "References": ours})
    out = ingest(reply, now=NOW)
    assert (out.action, out.ticket) == ("appended", first.ticket)
    db.session.refresh(ticket)
    assert ticket.status == "open" and len(ticket.messages) == 2


def test_forged_message_id_is_not_trusted(app):
    first = ingest(build(), now=NOW)
    forged = f"<{first.ticket}.0123456789abcdef.0123456789abcdef@support.example>"
    out = ingest(build(sender="x@annat.se", headers={"In-Reply-To": forged}), now=NOW)
    assert (out.action, out.ticket != first.ticket) == ("created", True)


def test_subject_tag_threads_only_for_the_customer_or_a_colleague(app):
    ref = ingest(build(sender="anna@foretag.se"), now=NOW).ticket
    cases = [("anna@foretag.se", "appended", "the customer"),
             ("bo@foretag.se", "appended", "a colleague at the same company domain"),
             ("eve@annat.se", "created", "a stranger citing the reference")]
    for sender, action, why in cases:
        out = ingest(build(sender=sender, subject=f"Re: [{ref}] Fråga", body=f"Mer info från {sender}"), now=NOW)
        assert out.action == action, why


def test_public_mail_domains_are_not_colleagues(app):
    ref = ingest(build(sender="anna@gmail.com"), now=NOW).ticket
    out = ingest(build(sender="eve@gmail.com", subject=f"[{ref}] hej"), now=NOW)
    assert out.action == "created"


def test_acknowledgements_are_rate_limited_per_sender(app):
    outs = [ingest(build(subject=f"Fråga {n}", body=f"Fråga nummer {n}"), now=NOW) for n in range(5)]
    assert [o.action for o in outs] == ["created"] * 5
    assert count(OutboxMail, OutboxMail.recipient == "kund@foretag.se") == 3      # MAIL_ACK_LIMIT
    assert "rate limit" in outs[-1].reason


def test_bounce_of_our_mail_is_noted_on_its_ticket(app):
    ingest(build(), now=NOW)
    ours = db.session.scalar(select(OutboxMail.message_id))
    bounce = (b"From: MAILER-DAEMON@mx.foretag.se\r\nTo: help-se@example.com\r\nSubject: Undelivered\r\n"
              b"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n"
              b"--B\r\nContent-Type: text/plain\r\n\r\nMailbox full\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
              b"Message-ID: " + ours.encode() + b"\r\n--B--\r\n")
    out = ingest(bounce, now=NOW)
    assert out.action == "ignored" and "noted on" in out.reason
    assert count(Event, Event.action == "bounce") == 1 and count(Ticket) == 1


def test_malformed_and_unaddressed_mail_is_rejected_and_kept(app):
    outs = [ingest(b"\x00\x01 not mail", now=NOW), ingest(build(to="someone@else.example"), now=NOW)]
    assert [o.action for o in outs] == ["rejected", "rejected"]
    assert "not addressed to one of our mailboxes" in outs[1].reason
    assert count(InboundMail, InboundMail.action == "rejected") == 2


def test_cli_prints_one_json_object_per_message(app, runner, tmp_path):
    path = tmp_path / "one.eml"
    path.write_bytes(build(subject="Avboka order", body="Vi vill avboka order 12-34567-89."))
    result = runner.invoke(args=["mail", "ingest", "--json", str(path), "-"], input=b"garbage")
    import json
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert result.exit_code == 0
    assert [(r["file"], r["action"], r["category"], r["queue"]) for r in lines] == [
        (str(path), "created", "cancellation", "cancellations"), ("-", "rejected", None, None)]
    assert set(lines[0]) == {"file", "message_id", "action", "ticket", "category", "queue", "reason"}


def test_a_created_mail_is_one_commit_and_leaves_nothing_unexpired(app):
    """The stored mail is linked to its ticket in the ticket's own commit (not a second one); what the intake wrote
    is expired when it returns, as a commit would have done, so a later read sees other writers' changes."""
    commits, written, session = [], [], db.session()

    def counted(conn):                   # the database's COMMITs (a SAVEPOINT's release is not one)
        commits.append(conn)

    def kept(_session, obj):             # a strong reference, so the objects outlive the intake
        written.append(obj)
    sa_event.listen(db.engine, "commit", counted)
    sa_event.listen(session, "pending_to_persistent", kept)
    try:
        out = ingest(build(subject="Avboka order", body="Hej, kan ni avboka order 12-34567-89?"), now=NOW)
    finally:
        sa_event.remove(db.engine, "commit", counted)
        sa_event.remove(session, "pending_to_persistent", kept)
    # PostgreSQL takes the reference in a commit of its own (references.allocate: its row is not locked to the end)
    assert out.action == "created" and len(commits) == (2 if db.engine.dialect.name == "postgresql" else 1)
    ticket = next(o for o in written if isinstance(o, Ticket))
    assert {type(o) for o in written} >= {Ticket, InboundMail, OutboxMail, Event}
    assert all(inspect(o).expired for o in written)
    with db.engine.begin() as other:     # another writer, behind the session's back
        other.execute(update(Ticket.__table__).values(status="pending"))
    assert ticket.status == "pending"
    assert next(o for o in written if isinstance(o, InboundMail)).ticket_id == ticket.id
