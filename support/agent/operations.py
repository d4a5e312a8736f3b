"""What agents do to tickets: reply, note, change fields, assign, merge, bulk changes; one commit each.

Every change writes an Event. Every operation takes the ticket version the agent's form was rendered with and
refuses a stale one (Conflict), so two agents never silently overwrite each other; the version column also
guards the UPDATE itself (SQLAlchemy's version_id_col), which catches a race between the check and the commit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..mail import outbox
from ..mail.models import InboundMail, OutboxMail
from ..tickets import notify
from ..tickets.models import CATEGORIES, PRIORITIES, STATUSES, Attachment, Event, Message, Ticket
from .models import Agent
from .queues import visible_markets

DEFAULT_QUEUES = ("cancellations", "damage", "order-status", "general")
FIELDS = {"status": STATUSES, "priority": PRIORITIES, "category": CATEGORIES}
_RE_PREFIX = re.compile(r"^\s*((re|sv|vs|aw|fw|fwd)\s*:\s*)+", re.IGNORECASE)
_TAG = re.compile(r"\s*\[(SE|NO)-\d{6}\]")


class OperationError(ValueError):
    """An agent's request that cannot be carried out; the message is shown to the agent."""


class Conflict(OperationError):
    """Someone else changed the ticket since the agent's form was rendered."""


def queues() -> tuple[str, ...]:
    """The queue names agents can move tickets between (configurable)."""
    return tuple(current_app.config.get("QUEUES") or DEFAULT_QUEUES)


def _event(ticket: Ticket, agent: Agent | None, action: str, now: datetime, **data) -> None:
    ticket.events.append(Event(agent_id=agent.id if agent else None, actor=agent.email if agent else "system",
                               action=action, data=data, created_at=now))


def _may_see(ticket: Ticket, agent: Agent) -> bool:
    markets = visible_markets(agent)
    return markets is None or ticket.market in markets


def _check(ticket: Ticket, agent: Agent, version: int | None) -> None:
    if not _may_see(ticket, agent):
        raise OperationError(_("This ticket belongs to a market you do not work in."))
    if version is not None and ticket.version != version:
        raise Conflict(_("%(ref)s was changed by someone else while you were working on it.", ref=ticket.reference))


def _commit(ticket: Ticket, now: datetime) -> None:
    ticket.updated_at = now              # touches the row, so the version moves on for every change
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_("%(ref)s was changed by someone else while you were working on it.",
                         ref=ticket.reference)) from None


def reply_subject(ticket: Ticket) -> str:
    """`Re: <subject> [SE-000123]`, without piling up prefixes or tags."""
    base = _TAG.sub("", _RE_PREFIX.sub("", ticket.subject or "")).strip()
    return f"Re: {base} [{ticket.reference}]" if base else f"[{ticket.reference}]"


def thread_ids(ticket: Ticket) -> tuple[str | None, tuple[str, ...]]:
    """In-Reply-To (the last customer mail, else our acknowledgement) and the earlier References."""
    inbound = [m.inbound_id for m in ticket.messages if m.kind == "customer" and m.inbound_id]
    customer = list(db.session.scalars(select(InboundMail.message_id).where(InboundMail.id.in_(inbound))
                                       .order_by(InboundMail.id))) if inbound else []
    ours = list(db.session.scalars(select(OutboxMail.message_id).where(OutboxMail.ticket_id == ticket.id)
                                   .order_by(OutboxMail.id)))
    acks = list(db.session.scalars(select(OutboxMail.message_id).filter_by(ticket_id=ticket.id, kind="acknowledgement")
                                   .order_by(OutboxMail.id)))
    parent = customer[-1] if customer else (acks[-1] if acks else None)
    if parent is None:
        return None, ()
    earlier = [mid for mid in customer[:-1] + ours if mid != parent]
    return parent, tuple(earlier[-10:])      # a few ancestors suffice for threading; keeps headers short


def sender_for(ticket: Ticket) -> str:
    """The address replies come from: the market's support address, a configured mailbox, the default sender."""
    sender = notify.sender_for(current_app.extensions["markets"][ticket.market])
    if not sender:
        raise OperationError(_("No sender address is configured for market %(market)s.", market=ticket.market))
    return sender


def reply(ticket: Ticket, agent: Agent, body: str, *, version: int | None, now: datetime,
          status: str = "pending") -> Message:
    """Queue a threaded reply to the customer in the ticket's language and record it in the thread."""
    _check(ticket, agent, version)
    if not body.strip():
        raise OperationError(_("The reply is empty."))
    if status not in STATUSES:
        raise OperationError(_("Unknown status %(value)s.", value=status))
    parent, references = thread_ids(ticket)
    with force_locale(ticket.language):
        # rendered without the request's context processors: the same text from a view, the CLI or a worker
        text = current_app.jinja_env.get_template("agent/email/reply.txt").render(
            ticket=ticket, body=body.strip(), agent=agent, brand=current_app.extensions["markets"][ticket.market])
    outbox.enqueue(kind="reply", sender=sender_for(ticket), recipient=ticket.customer_email,
                   subject=reply_subject(ticket), body_text=text, ticket=ticket, in_reply_to=parent,
                   references=references)
    message = Message(kind="reply", author_agent_id=agent.id, body_text=body.strip(), created_at=now)
    ticket.messages.append(message)
    if ticket.first_response_at is None:
        ticket.first_response_at = now
    _event(ticket, agent, "replied", now, to=ticket.customer_email, language=ticket.language)
    _set(ticket, agent, "status", status, now)
    _commit(ticket, now)
    return message


def add_note(ticket: Ticket, agent: Agent, body: str, *, version: int | None, now: datetime) -> Message:
    """An internal note: visible to agents only, never mailed."""
    _check(ticket, agent, version)
    if not body.strip():
        raise OperationError(_("The note is empty."))
    message = Message(kind="note", author_agent_id=agent.id, body_text=body.strip(), created_at=now)
    ticket.messages.append(message)
    _event(ticket, agent, "note", now)
    _commit(ticket, now)
    return message


def _set(ticket: Ticket, agent: Agent, name: str, value: str, now: datetime) -> bool:
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
    _event(ticket, agent, name, now, **{"from": old, "to": value})
    return True


def change(ticket: Ticket, agent: Agent, changes: dict[str, str], *, version: int | None, now: datetime) -> int:
    """Change status/priority/queue/category; returns how many fields changed (one commit)."""
    _check(ticket, agent, version)
    changed = sum(_set(ticket, agent, name, value, now) for name, value in changes.items() if value)
    if changed:
        _commit(ticket, now)
    return changed


def _assign(ticket: Ticket, agent: Agent, assignee: Agent | None, now: datetime) -> None:
    if assignee is not None:
        if not assignee.active:
            raise OperationError(_("%(name)s is deactivated.", name=assignee.name))
        if not assignee.is_admin and ticket.market not in assignee.market_codes:
            raise OperationError(_("%(name)s does not work in market %(market)s.", name=assignee.name,
                                   market=ticket.market.upper()))
    old = ticket.assignee
    if (old.id if old else None) == (assignee.id if assignee else None):
        return
    ticket.assignee_id = assignee.id if assignee else None
    _event(ticket, agent, "assigned", now, **{"from": old.email if old else None,
                                              "to": assignee.email if assignee else None})


def assign(ticket: Ticket, agent: Agent, assignee_id: int | None, *, version: int | None, now: datetime) -> None:
    """Assign to an agent (the agent themself or a colleague) or unassign with None."""
    _check(ticket, agent, version)
    assignee = db.session.get(Agent, assignee_id) if assignee_id else None
    if assignee_id and assignee is None:
        raise OperationError(_("No such agent."))
    _assign(ticket, agent, assignee, now)
    _commit(ticket, now)


def merge(source: Ticket, target: Ticket, agent: Agent, *, version: int | None, now: datetime) -> None:
    """Merge a duplicate into another ticket: messages and attachments move, the source closes."""
    _check(source, agent, version)
    _check(target, agent, None)
    if source.id == target.id or target.merged_into_id or source.merged_into_id:
        raise OperationError(_("A ticket can be merged only once, into a different ticket that is not merged itself."))
    moved = [m.id for m in source.messages]
    files = [a.id for a in source.attachments]
    db.session.execute(update(Message).where(Message.ticket_id == source.id).values(ticket_id=target.id))
    db.session.execute(update(Attachment).where(Attachment.ticket_id == source.id).values(ticket_id=target.id))
    db.session.execute(update(InboundMail).where(InboundMail.ticket_id == source.id).values(ticket_id=target.id))
    db.session.expire(source, ["messages", "attachments"])
    db.session.expire(target, ["messages", "attachments"])
    _set(source, agent, "status", "closed", now)
    source.merged_into_id = target.id
    _event(source, agent, "merged", now, into=target.reference, messages=moved, attachments=files)
    _event(target, agent, "merged_from", now, source=source.reference, messages=moved, attachments=files)
    target.updated_at = now
    _commit(source, now)


@dataclass
class BulkResult:
    changed: list[str]
    skipped: list[str]               # stale or not allowed: left as they were


def bulk(items: list[tuple[int, int]], agent: Agent, *, action: str, value: str | None, now: datetime) -> BulkResult:
    """Apply one action to several tickets (id, version); stale ones are skipped, the rest commit together."""
    if action not in ("assign_self", "status", "priority", "queue"):
        raise OperationError(_("Unknown action %(value)s.", value=action))
    result = BulkResult([], [])
    tickets = {t.id: t for t in db.session.scalars(select(Ticket).where(Ticket.id.in_([i for i, _ in items])))}
    for ticket_id, version in items:
        ticket = tickets.get(ticket_id)
        if ticket is None or not _may_see(ticket, agent):
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
        result.changed.append(ticket.reference)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_("Some of the tickets were changed by someone else; nothing was saved.")) from None
    return result
