"""What the ticket page shows: the thread (messages and events in time order, merged ones labelled), the
due time and business time left, the damage verdict, colleagues to assign, raw mails and files."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import or_, select

from .. import hours
from ..extensions import db
from ..mail.models import InboundMail
from ..tickets import service_levels
from ..tickets.models import Attachment, Event, Message, Ticket
from ..clock import as_utc
from . import events
from .models import Agent


@dataclass
class Entry:
    at: datetime
    kind: str                     # "customer" | "reply" | "note" | "event"
    item: Message | Event
    origin: str | None = None     # the reference of the ticket a merged message came from
    text: str | None = None       # an event as a sentence in the agent's language (events.py)


@dataclass
class View:
    entries: list[Entry]
    minutes_left: int | None      # business minutes until due; negative when overdue
    merged_into: Ticket | None
    mails: dict[int, InboundMail]  # inbound id -> row (without its raw bytes), for the download links
    targets: tuple = ()           # service-level targets that ended, met or missed (tickets/sla.py Outcome)


def _moved(ticket: Ticket) -> tuple[dict[int, str], list[int]]:
    """Messages that came in by merges (id -> source reference) and those this ticket gave away."""
    came, gave = {}, []
    for event in ticket.events:
        if event.action == "merged_from":
            came.update((mid, event.data.get("source")) for mid in event.data.get("messages", []))
        elif event.action == "merged":
            gave.extend(event.data.get("messages", []))
    return came, gave


def build(ticket: Ticket, *, now: datetime) -> View:
    """The ticket page's thread and timing, oldest first."""
    came, gave = _moved(ticket)
    messages = list(ticket.messages)
    if gave:                      # a merged source still shows its own thread, now stored on the target
        messages += list(db.session.scalars(select(Message).where(Message.id.in_(gave))))
    entries = [Entry(m.created_at, m.kind, m, came.get(m.id)) for m in messages]
    names = _event_names(ticket.events)
    entries += [Entry(e.created_at, "event", e, text=events.sentence(e, names)) for e in ticket.events]
    entries.sort(key=lambda e: (e.at, 0 if e.kind != "event" else 1))
    inbound = [m.inbound_id for m in messages if m.inbound_id]
    mails = {row.id: row for row in db.session.execute(
        select(InboundMail.id, InboundMail.message_id, InboundMail.subject).where(InboundMail.id.in_(inbound)))}
    merged = db.session.get(Ticket, ticket.merged_into_id) if ticket.merged_into_id else None
    return View(entries, minutes_left(ticket, now), merged, mails, service_levels.clock(ticket, now).history)


def _event_names(ticket_events) -> events.Names:
    """The agents the events name: their actors, and the e-mails assignments record."""
    ids = {e.agent_id for e in ticket_events if e.agent_id}
    emails = {v for e in ticket_events if e.action == "assigned" for v in (e.data or {}).values() if v}
    if not ids and not emails:
        return events.Names()
    return events.Names(db.session.scalars(select(Agent).where(or_(Agent.id.in_(ids), Agent.email.in_(emails)))))


def minutes_left(ticket: Ticket, now: datetime) -> int | None:
    """Business minutes from now to the due time in the ticket's market calendar (None without a due time)."""
    if ticket.due_at is None or not ticket.is_open:
        return None
    market = current_app.extensions["markets"][ticket.market]
    return hours.business_minutes_between(market, as_utc(now), as_utc(ticket.due_at))


def colleagues(ticket: Ticket) -> list[Agent]:
    """Active agents who work in the ticket's market (admins work in all)."""
    agents = db.session.scalars(select(Agent).where(Agent.active.is_(True)).order_by(Agent.name))
    return [a for a in agents if a.is_admin or ticket.market in a.market_codes]


def raw_mail(ticket: Ticket, mail_id: int) -> bytes | None:
    """The raw bytes of an inbound mail of this ticket's thread (also one merged away from it)."""
    mail = db.session.get(InboundMail, mail_id)
    if mail is None:
        return None
    mine = mail.ticket_id == ticket.id or any(m.inbound_id == mail_id for m in build_messages(ticket))
    return mail.raw if mine else None


def build_messages(ticket: Ticket) -> list[Message]:
    """The ticket's messages, plus those it gave away in a merge."""
    _came, gave = _moved(ticket)
    extra = list(db.session.scalars(select(Message).where(Message.id.in_(gave)))) if gave else []
    return list(ticket.messages) + extra


def attachment(ticket: Ticket, file_id: int) -> Attachment | None:
    """A file of this ticket (or one it gave away in a merge)."""
    found = db.session.get(Attachment, file_id)
    if found is None:
        return None
    gave = {fid for e in ticket.events if e.action == "merged" for fid in e.data.get("attachments", [])}
    return found if found.ticket_id == ticket.id or found.id in gave else None
