"""Erasure on request (GDPR art. 17): everything stored of one e-mail address, found, then removed.

Per table (PRIVACY.md says why): the person's tickets are anonymised (kept for the counts); every message,
file and raw mail of those tickets is deleted, as are the person's messages and raw mails elsewhere, held and
ignored mail from the address, and every outbox mail to it or on those tickets; events lose their data.
"""
from __future__ import annotations

from sqlalchemy import String, cast, func, or_, select

from ..extensions import db
from ..faq.models import FaqVote
from ..mail.models import AllowedSender, InboundMail
from ..outbox.models import OutboxMail
from ..tickets.models import Attachment, Event, Message, Ticket
from .models import PrivacyLog
from .removal import ERASED_DOMAIN, Removal, apply, files_of


class ErasureError(ValueError):
    """The request cannot be carried out as asked (no usable address)."""


def normalised(email: str) -> str:
    address = (email or "").strip().lower()
    if "@" not in address or address.endswith("@" + ERASED_DOMAIN):
        raise ErasureError(f"not an e-mail address: {email!r}")
    return address


def plan(email: str, *, visitor: str | None = None) -> Removal:
    """What `erase` would remove for this address (the dry run). FAQ votes carry no address, only the random
    id of the browser's `visitor` cookie: given that id (the person reads it from their browser), they go too."""
    address = normalised(email)
    tickets = list(db.session.scalars(select(Ticket.id).where(func.lower(Ticket.customer_email) == address)))
    removal = _covering(tickets, address)
    if visitor:
        removal.faq_votes = list(db.session.scalars(select(FaqVote.id).where(FaqVote.visitor == visitor)))
    return removal


def erase_tickets(ticket_ids: list[int]) -> Removal:
    """What anonymising these tickets removes: their messages, files, raw mail, outbox mail and event data."""
    return _covering(ticket_ids, None)


def _covering(tickets: list[int], address: str | None) -> Removal:
    mine = Ticket.id.in_(tickets)
    message_rule = Message.ticket_id.in_(tickets)
    if address:
        message_rule = or_(message_rule, func.lower(Message.sender) == address)
    messages = db.session.execute(select(Message.id, Message.inbound_id).where(message_rule)).all()
    message_ids = [m for m, _ in messages]
    attachments = list(db.session.scalars(select(Attachment).where(
        or_(Attachment.ticket_id.in_(tickets), Attachment.message_id.in_(message_ids)))))
    inbound_rule = or_(InboundMail.ticket_id.in_(tickets), InboundMail.id.in_([i for _, i in messages if i]))
    outbox_rule = OutboxMail.ticket_id.in_(tickets)
    event_rule = Event.ticket_id.in_(tickets)
    if address:
        inbound_rule = or_(inbound_rule, func.lower(InboundMail.sender) == address)   # held and ignored too
        outbox_rule = or_(outbox_rule, func.lower(OutboxMail.recipient) == address)
        # an event on someone else's ticket that names the address (a copy of a mail, a bounce)
        event_rule = or_(event_rule, func.lower(Event.actor) == address,
                         func.lower(cast(Event.data, String)).contains(address, autoescape=True))
    events = select(Event.id).where(event_rule)
    if not address:
        events = events.where(or_(Event.actor.notin_(("customer", "system")), cast(Event.data, String) != "{}"))
    return Removal(
        tickets=tickets if address else list(db.session.scalars(select(Ticket.id).where(
            mine, Ticket.customer_email.notlike(f"%@{ERASED_DOMAIN}")))),
        messages=message_ids, attachments=[a.id for a in attachments], files=files_of(attachments),
        inbound_mail=list(db.session.scalars(select(InboundMail.id).where(inbound_rule))),
        outbox_mail=list(db.session.scalars(select(OutboxMail.id).where(outbox_rule))),
        events=list(db.session.scalars(events)),
        allowed_senders=list(db.session.scalars(select(AllowedSender.id).where(AllowedSender.address == address)))
        if address else [])


def erase(email: str, *, actor: str, visitor: str | None = None) -> tuple[Removal, PrivacyLog | None]:
    """Erase what is stored of this address (one commit, with the audit row); nothing to do: no audit row."""
    removal = plan(email, visitor=visitor)
    if removal.empty:
        return removal, None
    return removal, apply(removal, action="erase", actor=actor)
