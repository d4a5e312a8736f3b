"""Every change to a ticket's thread, as named operations: the one writer of tickets, messages and events.

Web forms, mail intake and the agent workspace all come here; each public operation is one commit. Nothing
outside this module constructs an audit Event (`record_event`), a Message or a Ticket.

    open_ticket(draft, uploads=(), *, now, reply_from=None, before_commit=None) -> Ticket
        uploads are photos.Upload values, checked before anything is written; raises photos.PhotoRejected (with
        .rejections, messages in the customer's language) and nothing is stored. One flush and one commit: ticket
        (reference, secret, queue, priority, due_at), first Message, Attachments, Event "created", the
        acknowledgement in the outbox (unless draft.acknowledge is False), and whatever `before_commit(ticket)`
        adds (the mail intake links its stored message). Files written before a failed commit are removed.
    add_customer_message(ticket, body, uploads=(), *, now, sender, ...) -> Message
        appends to the thread and reopens a pending/resolved/closed ticket (Event "reopened").
    resolve_by_answer(ticket, slug, *, now) -> bool
        the customer's "this solved it" on the FAQ answer of their acknowledgement (Event "solved_by_answer").
    reply, add_note, change, assign, merge, bulk: what agents do. Each takes the ticket version the agent's form
        was rendered with and refuses a stale one (Conflict), so two agents never silently overwrite each other;
        the version column also guards the UPDATE itself (SQLAlchemy's version_id_col).
    note_mail_copy, note_bounce: what mail intake learns about an existing ticket.
    note_escalation: the worker's breach check handed a missed urgent target to the queue's lead.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from .. import clock, hours
from ..clock import as_utc, to_naive_utc
from ..extensions import db
from . import answers, files, notify, photos, references, routing, service_levels, text_index
from .drafts import Draft, is_late
from .models import CATEGORIES, PRIORITIES, STATUSES, Attachment, Event, Message, Ticket

REOPENING = ("pending", "resolved", "closed")
FIELDS = {"status": STATUSES, "priority": PRIORITIES, "category": CATEGORIES}
BULK_ACTIONS = ("assign_self", "status", "priority", "queue")

__all__ = ["Draft", "is_late"]


class OperationError(ValueError):
    """An agent's request that cannot be carried out; the message is shown to the agent."""


class Conflict(OperationError):
    """Someone else changed the ticket since the agent's form was rendered."""


def record_event(ticket: Ticket, action: str, at: datetime, *, agent=None, actor: str | None = None, **data) -> Event:
    """The audit row of one change: who (an agent, or "customer"/"system"), what, when (the caller commits)."""
    event = Event(agent_id=agent.id if agent else None, actor=actor or (agent.email if agent else "system"),
                  action=action, data=data, created_at=to_naive_utc(as_utc(at)))
    ticket.events.append(event)
    return event


def queues() -> tuple[str, ...]:
    """The queue names agents can move tickets between (configurable)."""
    return tuple(current_app.config["QUEUES"])


# --- customers: web forms and mail intake ---

def open_ticket(draft: Draft, uploads: Sequence[photos.Upload] = (), *, now: datetime,
                reply_from: str | None = None, before_commit: Callable[[Ticket], None] | None = None) -> Ticket:
    """Create, route, store the files of and acknowledge one customer request, in one commit.

    `reply_from` is the address a mail was sent to, which the acknowledgement comes from (web requests: the
    market's support address). `before_commit` is called with the ticket before anything is flushed, so that
    the caller's own rows that refer to it or its first message (the stored mail) are written in the same
    flush and commit, through relationships: no id is known yet.
    """
    prepared = files.prepare(uploads, channel=draft.channel, language=draft.language,
                             required=draft.channel == "web" and draft.category == "damage")
    market = current_app.extensions["markets"][draft.market]
    late = is_late(draft, now)
    queue, priority = routing.route(routing.Facts(draft.market, draft.category, draft.channel, bool(late),
                                                  draft.queue), current_app.extensions["routing_rules"])
    ticket = _new_ticket(draft, queue=queue, priority=priority, late=late, now=now)
    message = Message(kind="customer", sender=draft.customer_email, body_text=draft.body, body_html=draft.body_html,
                      mail_message_id=draft.mail_message_id, created_at=ticket.created_at)
    ticket.messages.append(message)
    record_event(ticket, "created", now, actor="customer", category=draft.category, queue=queue, priority=priority,
                 channel=draft.channel, late=late)
    _settle(ticket, now=now)             # before the acknowledgement: it states the first-response due time
    # what needs no reference is done before it is allocated: on SQLite that takes the one write lock, which every
    # other writer then waits for until this commit
    answer = answers.answer_for(ticket, answers.question_text(draft.subject, draft.question or draft.body)) \
        if draft.acknowledge else None
    ticket.reference = references.allocate(draft.market)
    db.session.add(ticket)
    with files.stored(ticket, message, prepared, hours.zone(market.timezone)):
        if draft.acknowledge:            # after the files: the acknowledgement counts them
            _acknowledge(ticket, market, now, reply_from, answer)
        if before_commit is not None:   # before the index's flush, the only one, which writes the caller's rows too
            before_commit(ticket)
        text_index.refresh(created=ticket)
        db.session.commit()
    return ticket


def _acknowledge(ticket: Ticket, market, now: datetime, reply_from: str | None,
                 answer: answers.Answer | None) -> None:
    if not notify.may_acknowledge(ticket.customer_email, now):
        record_event(ticket, "acknowledgement-skipped", now, reason="rate limit for this address reached")
        return
    sender = reply_from or notify.sender_for(market)
    if not sender:                      # no address to send from: record it for the agents rather than fail intake
        record_event(ticket, "acknowledgement-skipped", now,
                     reason="no sender address configured for market " + market.code)
        return
    offer = answers.offer(ticket, answer) if answer else None   # only here: never for one we do not acknowledge
    notify.acknowledge(ticket, now=now, sender=sender, offer=offer)
    if offer is not None:
        record_event(ticket, "answer_offered", now, entry=offer.slug)


def add_customer_message(ticket: Ticket, body: str, uploads: Sequence[photos.Upload] = (), *, now: datetime,
                         sender: str, body_html: str | None = None, inbound_id: int | None = None,
                         mail_message_id: str | None = None) -> Message:
    """Append a customer message (and files) to the thread, reopening the ticket if it waited or was done."""
    prepared = files.prepare(uploads, channel="email" if inbound_id is not None else "web", required=False,
                             language=ticket.language)
    stamp = to_naive_utc(as_utc(now))
    message = Message(kind="customer", sender=sender, body_text=body, body_html=body_html, inbound_id=inbound_id,
                      mail_message_id=mail_message_id, created_at=stamp)
    ticket.messages.append(message)
    record_event(ticket, "message", now, actor="customer", files=len(prepared))
    if ticket.status in REOPENING:
        record_event(ticket, "reopened", now, actor="customer", **{"from": ticket.status, "to": "open"})
        ticket.status, ticket.resolved_at = "open", None
    market = current_app.extensions["markets"][ticket.market]
    _settle(ticket, now=now)            # a next-response target starts, unless an earlier message still waits
    with files.stored(ticket, message, prepared, hours.zone(market.timezone)):
        text_index.refresh(ticket)
        db.session.commit()
    return message


def resolve_by_answer(ticket: Ticket, slug: str, *, now: datetime) -> bool:
    """The customer says the FAQ answer their acknowledgement carried solved it: the ticket is resolved (a later
    message reopens it, as any other). False, and nothing written, when it was resolved or closed already."""
    if ticket.status in ("resolved", "closed"):
        return False
    ticket.status, ticket.resolved_at = "resolved", to_naive_utc(as_utc(now))
    record_event(ticket, "solved_by_answer", now, actor="customer", entry=slug)   # counted as a deflection
    _commit(ticket, now)
    return True


def note_mail_copy(ticket: Ticket, *, sender: str | None, mailbox: str, also_at: str, message_id: str | None) -> None:
    """The same mail reached a second of our addresses: recorded on its ticket, never a second ticket."""
    record_event(ticket, "mail-copy", clock.now(), actor=sender or "system", mailbox=mailbox, also_at=also_at,
                 message_id=message_id)
    db.session.commit()


def note_escalation(ticket: Ticket, *, target: str, lead: str, now: datetime) -> None:
    """A missed target of an urgent ticket went to its queue's lead: marked on the ticket (the breach check)."""
    record_event(ticket, "escalated", now, target=target, lead=lead)
    db.session.commit()


def note_bounce(ticket: Ticket, *, reason: str, sender: str | None, subject: str | None) -> None:
    """A delivery report or receipt of our own mail about this ticket."""
    record_event(ticket, "bounce", clock.now(), reason=reason, **{"from": sender}, subject=subject)
    db.session.commit()


def note_released(ticket: Ticket, *, agent, reason: str | None, mailbox: str) -> None:
    """An agent made this ticket (or this message of it) from held mail: who, and why it had been held."""
    record_event(ticket, "mail-released", clock.now(), agent=agent, reason=reason, mailbox=mailbox)
    db.session.commit()


def _settle(*tickets: Ticket, now: datetime) -> None:
    """Right before a commit that changed these tickets: their service-level clock, recomputed from the
    history just written, so the stored due time (what the queues sort on) is never stale."""
    for ticket in tickets:
        state = service_levels.refresh(ticket, now)
        for ended in service_levels.unrecorded(ticket, state):     # a target met or missed: kept for the overview
            record_event(ticket, "target", ended.ended, target=ended.target, met=ended.met,
                         started=ended.started.isoformat(), due=ended.due.isoformat())


def _new_ticket(draft: Draft, *, queue: str, priority: str, late: bool | None, now: datetime) -> Ticket:
    stamp = to_naive_utc(as_utc(now))
    delivered = to_naive_utc(as_utc(draft.delivered_at)) if draft.delivered_at else None
    return Ticket(secret=secrets.token_urlsafe(32), market=draft.market, language=draft.language,
                  channel=draft.channel, category=draft.category, queue=queue, priority=priority, status="new",
                  subject=draft.subject[:300], customer_email=draft.customer_email, customer_name=draft.customer_name,
                  company=draft.company, phone=draft.phone, customer_number=draft.customer_number,
                  order_numbers=draft.order_numbers, details=dict(draft.details), delivered_at=delivered,
                  damage_late=late, created_at=stamp, updated_at=stamp,
                  attachments=[])        # loaded and empty: the acknowledgement counts them without a query


# --- agents ---

def _may_work_on(agent, ticket: Ticket) -> bool:
    return agent.is_admin or ticket.market in agent.market_codes


def _check(ticket: Ticket, agent, version: int | None) -> None:
    if not _may_work_on(agent, ticket):
        raise OperationError(_("This ticket belongs to a market you do not work in."))
    if version is not None and ticket.version != version:
        raise Conflict(_("%(ref)s was changed by someone else while you were working on it.", ref=ticket.reference))


def _commit(ticket: Ticket, now: datetime, *others: Ticket) -> None:
    ticket.updated_at = now              # touches the row, so the version moves on for every change
    _settle(ticket, *others, now=now)
    try:
        text_index.refresh(ticket)       # and every other ticket changed with it (a merge's target)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_("%(ref)s was changed by someone else while you were working on it.",
                         ref=ticket.reference)) from None


def reply(ticket: Ticket, agent, body: str, *, version: int | None, now: datetime, status: str = "pending",
          uploads: Sequence[photos.Upload] = (), suggestions: Sequence[str] = ()) -> Message:
    """Queue a threaded reply to the customer in the ticket's language and record it in the thread; files (a
    return label, a credit note: photos or PDFs, checked like the customers') travel as MIME parts.

    `suggestions` are the slugs of the FAQ answers the agent inserted from the ticket page's suggestions: each
    FAQ entry among them is recorded once ("suggestion_used", for the overview); anything else is ignored."""
    _check(ticket, agent, version)
    if not body.strip():
        raise OperationError(_("The reply is empty."))
    if status not in STATUSES:
        raise OperationError(_("Unknown status %(value)s.", value=status))
    sender = notify.sender_for(current_app.extensions["markets"][ticket.market])
    if not sender:
        raise OperationError(_("No sender address is configured for market %(market)s.", market=ticket.market))
    try:
        prepared = files.prepare(uploads, channel="web", required=False, language=ticket.language)
    except photos.PhotoRejected as exc:
        raise OperationError(" ".join(r.message for r in exc.rejections)) from None
    message = Message(kind="reply", author_agent_id=agent.id, body_text=body.strip(), created_at=now)
    ticket.messages.append(message)
    if ticket.first_response_at is None:
        ticket.first_response_at = now
    record_event(ticket, "replied", now, agent=agent, to=ticket.customer_email, language=ticket.language,
                 files=len(prepared))
    for slug in _faq_entries(suggestions):
        record_event(ticket, "suggestion_used", now, agent=agent, entry=slug)
    _set(ticket, agent, "status", status, now)
    market = current_app.extensions["markets"][ticket.market]
    with files.stored(ticket, message, prepared, hours.zone(market.timezone)):
        notify.reply(ticket, agent, body.strip(), sender=sender, files=message.attachments)
        _commit(ticket, now)
    return message


def _faq_entries(slugs: Sequence[str]) -> list[str]:
    """The slugs that name FAQ entries, once each, in order: a forged or stale one (content changed) is dropped."""
    entries = current_app.extensions["faq"].entries      # the catalogue the ticket page suggested from
    kept: list[str] = []
    for slug in slugs:
        if isinstance(slug, str) and slug in entries and slug not in kept:
            kept.append(slug)
    return kept


def add_note(ticket: Ticket, agent, body: str, *, version: int | None, now: datetime) -> Message:
    """An internal note: visible to agents only, never mailed."""
    _check(ticket, agent, version)
    if not body.strip():
        raise OperationError(_("The note is empty."))
    message = Message(kind="note", author_agent_id=agent.id, body_text=body.strip(), created_at=now)
    ticket.messages.append(message)
    record_event(ticket, "note", now, agent=agent)
    _commit(ticket, now)
    return message


def _set(ticket: Ticket, agent, name: str, value: str, now: datetime) -> bool:
    """Change one field, with its Event; False when it already had the value."""
    allowed = queues() if name == "queue" else FIELDS[name]
    if value not in allowed:
        raise OperationError(_("Unknown value %(value)s for %(field)s.", value=value, field=name))
    old = getattr(ticket, name)
    if old == value:
        return False
    setattr(ticket, name, value)
    if name == "status":
        ticket.resolved_at = now if value in ("resolved", "closed") else None
    record_event(ticket, name, now, agent=agent, **{"from": old, "to": value})
    return True


def change(ticket: Ticket, agent, changes: dict[str, str], *, version: int | None, now: datetime) -> int:
    """Change status/priority/queue/category; returns how many fields changed (one commit)."""
    _check(ticket, agent, version)
    changed = sum(_set(ticket, agent, name, value, now) for name, value in changes.items() if value)
    if changed:
        _commit(ticket, now)
    return changed


def _assign(ticket: Ticket, agent, assignee, now: datetime) -> None:
    if assignee is not None:
        if not assignee.active:
            raise OperationError(_("%(name)s is deactivated.", name=assignee.name))
        if not _may_work_on(assignee, ticket):
            raise OperationError(_("%(name)s does not work in market %(market)s.", name=assignee.name,
                                   market=ticket.market.upper()))
    old = ticket.assignee
    if (old.id if old else None) == (assignee.id if assignee else None):
        return
    ticket.assignee_id = assignee.id if assignee else None
    record_event(ticket, "assigned", now, agent=agent, **{"from": old.email if old else None,
                                                          "to": assignee.email if assignee else None})


def assign(ticket: Ticket, agent, assignee, *, version: int | None, now: datetime) -> None:
    """Assign to an agent (the agent themself or a colleague) or unassign with None."""
    _check(ticket, agent, version)
    _assign(ticket, agent, assignee, now)
    _commit(ticket, now)


def merge(source: Ticket, target: Ticket, agent, *, version: int | None, now: datetime) -> None:
    """Merge a duplicate into another ticket: messages and attachments move, the source closes."""
    _check(source, agent, version)
    _check(target, agent, None)
    if source.id == target.id or target.merged_into_id or source.merged_into_id:
        raise OperationError(_("A ticket can be merged only once, into a different ticket that is not merged itself."))
    if not _same_customer(source, target):     # else one customer's status link would show another's thread
        raise OperationError(_("Only tickets of the same customer or company can be merged."))
    moved = [m.id for m in source.messages]
    waiting = service_levels.response_due(source)   # the source's customer waits too: the earlier due time wins
    moved_files = [a.id for a in source.attachments]
    db.session.execute(update(Message).where(Message.ticket_id == source.id).values(ticket_id=target.id))
    db.session.execute(update(Attachment).where(Attachment.ticket_id == source.id).values(ticket_id=target.id))
    db.session.expire(source, ["messages", "attachments"])
    db.session.expire(target, ["messages", "attachments"])
    _set(source, agent, "status", "closed", now)
    source.merged_into_id = target.id
    record_event(source, "merged", now, agent=agent, into=target.reference, messages=moved, attachments=moved_files)
    record_event(target, "merged_from", now, agent=agent, source=source.reference, messages=moved,
                 attachments=moved_files, due=waiting.isoformat() if waiting else None)
    target.updated_at = now
    _commit(source, now, target)


def _same_customer(one: Ticket, other: Ticket) -> bool:
    """The same customer address, or the same company (its name as both gave it, in any case)."""
    def company(t: Ticket) -> str:
        return " ".join((t.company or "").lower().split())
    return one.customer_email.lower() == other.customer_email.lower() or bool(company(one)) and \
        company(one) == company(other)


@dataclass
class BulkResult:
    changed: list[str]
    skipped: list[str]               # stale or not allowed: left as they were


def bulk(items: list[tuple[int, int]], agent, *, action: str, value: str | None, now: datetime) -> BulkResult:
    """Apply one action to several tickets (id, version); stale ones are skipped, the rest commit together."""
    if action not in BULK_ACTIONS:
        raise OperationError(_("Unknown action %(value)s.", value=action))
    result = BulkResult([], [])
    tickets = {t.id: t for t in db.session.scalars(select(Ticket).where(Ticket.id.in_([i for i, _v in items])))}
    for ticket_id, version in items:
        ticket = tickets.get(ticket_id)
        if ticket is None or not _may_work_on(agent, ticket):
            continue
        try:
            _check(ticket, agent, version)
            if action == "assign_self":
                _assign(ticket, agent, agent, now)
            else:
                _set(ticket, agent, action, value or "", now)
        except Conflict:
            result.skipped.append(ticket.reference)
            continue
        ticket.updated_at = now
        _settle(ticket, now=now)
        result.changed.append(ticket.reference)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_("Some of the tickets were changed by someone else; nothing was saved.")) from None
    return result
