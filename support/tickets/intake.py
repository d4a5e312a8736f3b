"""The one write path for new tickets and for customer messages added to them (web and e-mail alike).

    open_ticket(draft, uploads=(), *, now, inbound=None) -> Ticket
        uploads: photos.Upload values, checked before anything is written; raises photos.PhotoRejected (with
        .filename, a message in the customer's language, and .rejections listing every refused file) and
        nothing is stored. Web uploads must be photos (1..10 for damage); e-mail keeps every attachment
        (a readable photo re-encoded, anything else as a plain file). One commit: ticket (reference, secret,
        queue, priority, due_at), first Message, Attachments, Event "created", acknowledgement in the outbox
        (unless draft.acknowledge is False). Files written before a failed commit are removed.
        `inbound` (an InboundMail row already added to the session) is linked.

    add_customer_message(ticket, body, uploads=(), *, now, sender, body_html=None, inbound=None) -> Message
        Appends to the thread, reopens a pending/resolved/closed ticket (status -> open, Event "reopened"),
        one commit.
"""
from __future__ import annotations

import secrets
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Sequence

from flask import current_app, has_request_context
from flask_babel import force_locale
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from .. import hours
from ..extensions import db
from ..clock import as_utc, to_naive_utc
from . import notify, photos, routing
from .models import Attachment, Event, Message, Ticket, TicketCounter

REOPENING = ("pending", "resolved", "closed")


@dataclass
class Draft:
    """A new request as plain data, from a web form or a parsed mail."""
    market: str                 # "se" | "no"
    language: str               # "sv" | "nb" | "en"
    channel: str                # "web" | "email"
    category: str               # cancellation | damage | stuck-order | other
    subject: str
    body: str                   # the customer's text, whole
    customer_email: str
    customer_name: str | None = None
    company: str | None = None
    phone: str | None = None
    customer_number: str | None = None
    order_numbers: str | None = None
    details: dict = field(default_factory=dict)   # request-type fields: "delivered_at", "damaged_items", ...
    delivered_at: datetime | None = None          # aware; damage only
    queue: str | None = None    # a mailbox's queue, used as the routing prior
    body_html: str | None = None   # sanitised HTML of a mail
    acknowledge: bool = True    # False for mail that must not be answered (rate-limited sender)


def is_late(draft: Draft, now: datetime) -> bool | None:
    """Damage reported more than 24 hours after delivery; None when the rule does not apply."""
    if draft.category != "damage" or draft.delivered_at is None:
        return None
    return as_utc(now) > as_utc(routing.damage_deadline(draft.delivered_at))


def open_ticket(draft: Draft, uploads: Sequence[photos.Upload] = (), *, now: datetime, inbound=None) -> Ticket:
    """Create, route, store the files of and acknowledge one customer request, in one commit."""
    with _customer_locale(draft.language):
        prepared = _prepare(uploads, channel=draft.channel, required=_photos_required(draft))
    market = current_app.extensions["markets"][draft.market]
    late = is_late(draft, now)
    queue, priority = routing.route(routing.Facts(draft.market, draft.category, draft.channel, bool(late),
                                                  draft.queue), current_app.extensions["routing_rules"])
    ticket = _new_ticket(draft, queue=queue, priority=priority, late=late, now=now)
    ticket.reference = allocate_reference(draft.market)
    ticket.due_at = due_time(market, draft.category, priority, now)
    message = Message(kind="customer", sender=draft.customer_email, body_text=draft.body, body_html=draft.body_html,
                      created_at=ticket.created_at)
    ticket.messages.append(message)
    ticket.events.append(Event(actor="customer", action="created", created_at=ticket.created_at,
                               data={"category": draft.category, "queue": queue, "priority": priority,
                                     "channel": draft.channel, "late": late}))
    db.session.add(ticket)
    _link_inbound(inbound, ticket, message)
    # the acknowledgement counts the stored files, so it is queued after them, in the same commit
    # mail is answered from the address it was sent to; web requests from the market's support address
    reply_from = inbound.mailbox if inbound is not None else None
    acknowledge = (lambda: notify.acknowledge(ticket, now=now, sender=reply_from)) if draft.acknowledge else None
    _commit_with_files(ticket, message, prepared, before_commit=acknowledge)
    return ticket


def add_customer_message(ticket: Ticket, body: str, uploads: Sequence[photos.Upload] = (), *, now: datetime,
                         sender: str, body_html: str | None = None, inbound=None) -> Message:
    """Append a customer message (and files) to the thread, reopening the ticket if it waited or was done."""
    with _customer_locale(ticket.language):
        prepared = _prepare(uploads, channel="email" if inbound is not None else "web", required=False)
    stamp = to_naive_utc(as_utc(now))
    message = Message(kind="customer", sender=sender, body_text=body, body_html=body_html, created_at=stamp)
    ticket.messages.append(message)
    ticket.events.append(Event(actor="customer", action="message", created_at=stamp,
                               data={"files": len(prepared)}))
    if ticket.status in REOPENING:
        ticket.events.append(Event(actor="customer", action="reopened", created_at=stamp,
                                   data={"from": ticket.status, "to": "open"}))
        ticket.status, ticket.resolved_at = "open", None
    if ticket.due_at is None:           # an unanswered earlier message keeps its (earlier) due time
        market = current_app.extensions["markets"][ticket.market]
        ticket.due_at = due_time(market, ticket.category, ticket.priority, now)
    _link_inbound(inbound, ticket, message)
    _commit_with_files(ticket, message, prepared)
    return message


def due_time(market, category: str, priority: str, now: datetime) -> datetime:
    """The first-response due time (naive UTC): the configured business minutes after `now`."""
    minutes = routing.response_minutes(current_app.config["RESPONSE_TARGETS"], category, priority)
    return to_naive_utc(hours.add_business_minutes(market, as_utc(now), minutes))


def allocate_reference(market: str) -> str:
    """The next reference of a market (SE-000123): one counter row per market, incremented in place."""
    bump = (update(TicketCounter).where(TicketCounter.market == market)
            .values(last=TicketCounter.last + 1).returning(TicketCounter.last))
    number = db.session.execute(bump).scalar()
    if number is None:                   # the market's first ticket: create the row, unless a rival just did
        try:
            with db.session.begin_nested():
                db.session.execute(insert(TicketCounter).values(market=market, last=1))
            number = 1
        except IntegrityError:
            number = db.session.execute(bump).scalar_one()
    return f"{market.upper()}-{number:06d}"


def _customer_locale(language: str):
    # on the web the visitor reads the page's language; a mail is answered in the customer's
    return nullcontext() if has_request_context() else force_locale(language)


def _photos_required(draft: Draft) -> bool:
    # the damage form asks for photos; a damage mail without them is still a ticket (nothing is lost)
    return draft.channel == "web" and draft.category == "damage"


def _prepare(uploads: Sequence[photos.Upload], *, channel: str, required: bool) -> list[photos.Prepared]:
    config = current_app.config
    if channel == "email":
        return [photos.prepare_any(u, max_bytes=config["PHOTO_MAX_BYTES"], max_pixels=config["PHOTO_MAX_PIXELS"])
                for u in uploads]
    return photos.check_photos(uploads, required=required, limit=config["PHOTO_MAX_COUNT"],
                               max_bytes=config["PHOTO_MAX_BYTES"], max_pixels=config["PHOTO_MAX_PIXELS"])


def _new_ticket(draft: Draft, *, queue: str, priority: str, late: bool | None, now: datetime) -> Ticket:
    stamp = to_naive_utc(as_utc(now))
    delivered = to_naive_utc(as_utc(draft.delivered_at)) if draft.delivered_at else None
    return Ticket(secret=secrets.token_urlsafe(32), market=draft.market, language=draft.language,
                  channel=draft.channel, category=draft.category, queue=queue, priority=priority, status="new",
                  subject=draft.subject[:300], customer_email=draft.customer_email, customer_name=draft.customer_name,
                  company=draft.company, phone=draft.phone, customer_number=draft.customer_number,
                  order_numbers=draft.order_numbers, details=dict(draft.details), delivered_at=delivered,
                  damage_late=late, created_at=stamp, updated_at=stamp)


def _link_inbound(inbound, ticket: Ticket, message: Message) -> None:
    if inbound is None:
        return
    db.session.flush()                  # ids for the links
    inbound.ticket_id = ticket.id
    message.inbound_id = inbound.id


def _commit_with_files(ticket: Ticket, message: Message, prepared: Sequence[photos.Prepared],
                       before_commit=None) -> None:
    """Write the files, record them, commit; on any failure roll back and delete what was written."""
    upload_dir = current_app.config["UPLOAD_DIR"]
    market = current_app.extensions["markets"][ticket.market]
    written: list[photos.Stored] = []
    try:
        for item in prepared:
            stored = photos.store(item, ticket.reference, upload_dir)
            written.append(stored)
            ticket.attachments.append(_attachment(stored, message, hours.zone(market.timezone)))
        if before_commit is not None:
            before_commit()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        photos.remove(written, upload_dir)
        raise


def _attachment(stored: photos.Stored, message: Message, tz) -> Attachment:
    p = stored.prepared
    taken = p.taken_at
    if taken is not None:               # a camera clock without offset is taken to be the market's local time
        taken = to_naive_utc(taken if taken.tzinfo else taken.replace(tzinfo=tz))
    return Attachment(message=message, original_name=p.original_name, stored_name=stored.stored_name,
                      thumb_name=stored.thumb_name, mime_type=p.mime_type, size=p.size, sha256=p.sha256,
                      width=p.width, height=p.height, taken_at=taken)
