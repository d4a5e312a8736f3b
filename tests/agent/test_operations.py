"""Ticket work: threaded replies in the ticket's language, conflicts, merge, audit events, bulk changes."""
import pytest
from sqlalchemy import select

from support.extensions import db
from support import outbox
from support.mail.models import InboundMail
from support.outbox import OutboxMail
from support.tickets import operations
from support.tickets.models import Event, Message

from .conftest import NOW, sign_in


def _mail_in(ticket, message_id, body="Hej igen"):
    """A customer e-mail on the ticket, as the mail intake stores it."""
    raw = f"Message-ID: {message_id}\r\nSubject: {ticket.subject}\r\n\r\n{body}\r\n".encode()
    mail = InboundMail(message_id=message_id, mailbox="support-se@ingrammicro.com", sha256="0" * 64, raw=raw,
                       sender=ticket.customer_email, action="appended", ticket_id=ticket.id)
    db.session.add(mail)
    db.session.flush()
    ticket.messages.append(Message(kind="customer", sender=ticket.customer_email, body_text=body, inbound_id=mail.id,
                                   mail_message_id=message_id))
    db.session.commit()
    return mail


def _outbox(kind="reply"):
    return db.session.scalars(select(OutboxMail).filter_by(kind=kind)).all()


def test_reply_is_threaded_on_the_last_customer_mail(client, make_agent, make_ticket):
    ticket = make_ticket(subject="Re: Skadad leverans [SE-000001]")
    _mail_in(ticket, "<first@kund.example>")
    _mail_in(ticket, "<second@kund.example>")
    sign_in(client, make_agent())
    response = client.post(f"/agent/tickets/{ticket.reference}/reply",
                           data={"body": "Vi skickar en ny.", "version": ticket.version, "status": "pending"})
    assert response.status_code == 302
    [mail] = _outbox()
    assert mail.headers["In-Reply-To"] == "<second@kund.example>"
    assert mail.headers["References"] == "<first@kund.example> <second@kund.example>"
    assert mail.subject == "Re: Skadad leverans [SE-000001]"          # no "Re: Re:", one tag
    assert (mail.recipient, mail.sender) == (ticket.customer_email, "support-se@ingrammicro.com")
    assert "Vi skickar en ny." in mail.body_text
    assert outbox.signed_key(mail.message_id) == ticket.reference
    db.session.refresh(ticket)
    assert ticket.status == "pending" and ticket.first_response_at is not None


@pytest.mark.parametrize("market, footer", [
    ("se", "Referens: SE-000001"),        # Swedish ticket, Swedish footer
    ("no", "Referanse: NO-000001"),       # Norwegian ticket, Norwegian footer
])
def test_reply_is_written_in_the_tickets_language(app, make_agent, make_ticket, market, footer):
    ticket = make_ticket(market=market)
    ack = outbox.enqueue(kind="acknowledgement", sender="x@example.test", recipient=ticket.customer_email,
                         subject="Tack", body_text="...", thread=ticket.reference, ticket_id=ticket.id,
                         automated=True)
    db.session.commit()
    operations.reply(ticket, make_agent(), "Text", version=ticket.version, now=NOW)
    [mail] = _outbox()
    assert footer in mail.body_text
    assert mail.headers["In-Reply-To"] == ack.message_id                # no customer mail: our acknowledgement
    assert mail.subject == f"Re: {ticket.subject} [{ticket.reference}]"


def test_canned_reply_is_filled_in_for_the_customer(client, make_agent, make_ticket):
    ticket = make_ticket(market="no", customer_name="Kari Nordmann")
    sign_in(client, make_agent())
    page = client.get(f"/agent/tickets/{ticket.reference}?canned=need-order-number").get_data(as_text=True)
    assert "Hei Kari Nordmann!" in page and f"sak {ticket.reference} trenger vi ordrenummeret" in page


def test_second_save_of_a_concurrent_edit_is_refused(app, make_agent, make_ticket):
    ticket = make_ticket()
    first, second = app.test_client(), app.test_client()
    sign_in(first, make_agent(name="Anna"))
    sign_in(second, make_agent(name="Björn"))
    rendered = ticket.version                                         # both opened the same version
    ok = first.post(f"/agent/tickets/{ticket.reference}/change",
                    data={"version": rendered, "status": "open", "priority": "high", "queue": "damage",
                          "category": "damage"})
    assert ok.status_code == 302
    stale = second.post(f"/agent/tickets/{ticket.reference}/change",
                        data={"version": rendered, "status": "resolved", "priority": "low", "queue": "general",
                              "category": "other"})
    assert stale.status_code == 409
    assert "was changed by someone else" in stale.get_data(as_text=True)
    db.session.refresh(ticket)
    assert (ticket.status, ticket.priority, ticket.queue) == ("open", "high", "damage")   # the first save stands
    note = second.post(f"/agent/tickets/{ticket.reference}/note", data={"version": rendered, "body": "Mitt utkast"})
    assert note.status_code == 409 and "Mitt utkast" in note.get_data(as_text=True)      # the draft is kept


def test_conflict_raised_by_the_database_guard(app, make_agent, make_ticket):
    """A change that passes the form check but loses the race at UPDATE time is refused too."""
    ticket, agent = make_ticket(), make_agent()
    version = ticket.version
    db.session.execute(db.update(type(ticket)).where(type(ticket).id == ticket.id).values(version=version + 1))
    with pytest.raises(operations.Conflict):
        operations.change(ticket, agent, {"status": "open"}, version=version, now=NOW)


def test_merge_keeps_both_threads(client, make_agent, make_ticket):
    target, source = make_ticket(), make_ticket(subject="Samma skada igen")
    _mail_in(source, "<dup@kund.example>", body="Dubbletten")
    sign_in(client, make_agent())
    response = client.post(f"/agent/tickets/{source.reference}/merge",
                           data={"version": source.version, "target": target.reference.lower()})
    assert response.status_code == 302
    db.session.refresh(source)
    db.session.refresh(target)
    assert source.status == "closed" and source.merged_into_id == target.id
    assert {m.body_text for m in target.messages} == {"Kartongen var trasig.", "Dubbletten"}
    target_page = client.get(f"/agent/tickets/{target.reference}").get_data(as_text=True)
    assert "Dubbletten" in target_page and f"merged from {source.reference}" in target_page
    source_page = client.get(f"/agent/tickets/{source.reference}").get_data(as_text=True)
    assert "Dubbletten" in source_page and f"/agent/tickets/{target.reference}" in source_page
    mail_id = db.session.scalar(select(InboundMail.id))
    raw = client.get(f"/agent/tickets/{target.reference}/mail/{mail_id}.txt")
    assert raw.mimetype == "text/plain" and "attachment" in raw.headers["Content-Disposition"]
    assert b"Dubbletten" in raw.data


@pytest.mark.parametrize("url, data, action", [
    ("reply", {"body": "Hej", "status": "pending"}, "replied"),
    ("note", {"body": "Ring kunden"}, "note"),
    ("change", {"status": "open", "priority": "normal", "queue": "damage", "category": "damage"}, "status"),
    ("change", {"status": "new", "priority": "urgent", "queue": "damage", "category": "damage"}, "priority"),
    ("change", {"status": "new", "priority": "normal", "queue": "general", "category": "damage"}, "queue"),
    ("change", {"status": "new", "priority": "normal", "queue": "damage", "category": "other"}, "category"),
    ("assign", {"self": "1", "assignee": "0"}, "assigned"),
    ("merge", {"target": "SE-000002"}, "merged"),
])
def test_every_action_leaves_an_audit_event(client, make_agent, make_ticket, url, data, action):
    ticket, _other = make_ticket(), make_ticket()
    agent = make_agent()
    sign_in(client, agent)
    response = client.post(f"/agent/tickets/{ticket.reference}/{url}", data={**data, "version": ticket.version})
    assert response.status_code == 302
    event = db.session.scalar(select(Event).filter_by(ticket_id=ticket.id, action=action))
    assert event is not None and (event.agent_id, event.actor) == (agent.id, agent.email)


def test_assign_to_a_colleague_of_another_market_is_refused(make_agent, make_ticket):
    ticket, me, oslo = make_ticket(market="se"), make_agent(), make_agent(markets="no")
    with pytest.raises(operations.OperationError):
        operations.assign(ticket, me, oslo, version=ticket.version, now=NOW)


def test_bulk_changes_fresh_tickets_and_skips_stale_ones(client, make_agent, make_ticket):
    fresh, stale = make_ticket(), make_ticket()
    agent = make_agent()
    sign_in(client, agent)
    response = client.post("/agent/bulk", data={"action": "assign_self", "value": "",
                                                "ticket": [f"{fresh.id}:{fresh.version}", f"{stale.id}:{stale.version - 1}"]})
    assert response.status_code == 302
    db.session.refresh(fresh)
    db.session.refresh(stale)
    assert fresh.assignee_id == agent.id and stale.assignee_id is None
    assert db.session.scalar(select(Event).filter_by(ticket_id=fresh.id, action="assigned")) is not None


def test_merge_only_between_tickets_of_one_customer_or_company(app, make_agent, make_ticket):
    alice = make_ticket(customer_email="alice@alfa.se", company="Alfa AB")
    bob = make_ticket(customer_email="bob@beta.se", company="Beta AB")
    colleague = make_ticket(customer_email="carl@alfa.se", company="alfa  ab")
    agent = make_agent()
    with pytest.raises(operations.OperationError):
        operations.merge(alice, bob, agent, version=alice.version, now=NOW)
    operations.merge(alice, colleague, agent, version=alice.version, now=NOW)     # the same company
    assert alice.merged_into_id == colleague.id


def test_a_merged_tickets_link_shows_a_notice_and_takes_no_posts(app, client, make_agent, make_ticket):
    from support.tickets import links
    source = make_ticket(customer_email="alice@alfa.se", company="Alfa AB")
    target = make_ticket(customer_email="alice@alfa.se", company="Alfa AB")
    operations.merge(source, target, make_agent(), version=source.version, now=NOW)
    url = f"/sv/ticket/{source.reference}?key={links.status_key(source)}"
    page = client.get(url).get_data(as_text=True)
    assert "har slagits ihop" in page and "Kartongen var trasig." not in page and "<form" not in page.split("<main")[1]
    posted = client.post(url, data={"body": "Hallå?"})
    assert posted.status_code == 409
    db.session.refresh(source)
    db.session.refresh(target)
    assert source.status == "closed" and [m.body_text for m in target.messages].count("Hallå?") == 0
