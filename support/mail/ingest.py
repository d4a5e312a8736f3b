"""Intake of one raw message: keep it, drop duplicates and automated mail, thread it or open a ticket.

Every message's raw bytes are stored (InboundMail), whatever the outcome, in the same commit as the outcome; the
unique (message_id, mailbox) key makes a repeated delivery or fetch harmless.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..tickets import intake, notify
from ..tickets.models import Event, Ticket
from ..tickets.photos import PhotoRejected, Upload
from . import classify, loopguard, mailboxes, parse, textify, thread
from .models import InboundMail
from .. import util

ALREADY = "already received"


@dataclass
class Outcome:
    action: str                      # created | appended | ignored | rejected
    reason: str | None = None
    ticket: str | None = None
    category: str | None = None
    queue: str | None = None
    message_id: str | None = None

    def report(self, file: str) -> dict:
        """The CLI's JSON object for this message."""
        return {"file": file, **asdict(self)}


def ingest(raw: bytes, *, mailbox: str | None = None, now: datetime | None = None) -> Outcome:
    """Take one RFC 5322 message into the desk (one commit); the outcome says what happened and why."""
    now = now or util.now()
    try:
        mail = parse.parse(raw)
    except parse.MalformedMail as exc:
        return _reject(raw, mailbox, str(exc))
    box = mailboxes.pick(mail.recipients, mailbox)
    if box is None:
        wanted = mailbox or ", ".join(mail.recipients[:3]) or "no recipient"
        return _reject(raw, mailbox, f"not addressed to one of our mailboxes ({wanted})", mail)
    key, earlier = _dedupe_key(mail, box.address)
    if key is None:
        return _outcome("ignored", ALREADY, earlier, mail)
    row = InboundMail(message_id=key, mailbox=box.address, sha256=mail.raw_sha256, raw=raw,
                      content_sha256=mail.content_sha256, sender=mail.sender, subject=mail.subject or None,
                      action="rejected", display_text=textify.trim(mail.text))
    db.session.add(row)
    try:
        return _decide(row, mail, box, now)
    except IntegrityError:     # the same message committed meanwhile by another process: it is handled
        db.session.rollback()
        return Outcome("ignored", ALREADY, message_id=mail.message_id)


def _decide(row: InboundMail, mail: parse.ParsedMail, box: mailboxes.Mailbox, now: datetime) -> Outcome:
    twin = db.session.scalar(select(InboundMail).where(
        InboundMail.message_id == row.message_id, InboundMail.content_sha256 == mail.content_sha256,
        InboundMail.mailbox != box.address).limit(1))
    if twin is not None:
        return _record_twin(row, twin, mail)
    reason = loopguard.automated_reason(mail, mailboxes.own_addresses())
    if reason:
        return _ignore(row, mail, reason)
    if not mail.sender:
        return _finish(row, "rejected", "no sender address to answer", None, mail)
    ticket = thread.find_ticket(mail)
    if ticket is not None:
        return _append(row, mail, ticket, now)
    return _open(row, mail, box, now)


def _dedupe_key(mail: parse.ParsedMail, mailbox: str) -> tuple[str | None, InboundMail | None]:
    """The row key for this message, or (None, earlier row) when it was received here before.

    A missing Message-ID is replaced by a digest; a Message-ID reused for other content gets the digest appended,
    so a sender that reuses IDs is not silently dropped.
    """
    key = mail.message_id if mail.message_id and len(mail.message_id) <= 900 else None
    key = key or f"<sha256.{mail.content_sha256}@digest.invalid>"
    for candidate in (key, f"{key}#{mail.content_sha256[:16]}"):
        earlier = db.session.scalar(select(InboundMail).where(InboundMail.message_id == candidate,
                                                              InboundMail.mailbox == mailbox))
        if earlier is None:
            return candidate, None
        if earlier.content_sha256 in (None, mail.content_sha256):
            return None, earlier
    return None, earlier


def _outcome(action: str, reason: str | None, earlier: InboundMail | None, mail) -> Outcome:
    ticket = db.session.get(Ticket, earlier.ticket_id) if earlier is not None and earlier.ticket_id else None
    return Outcome(action, reason, ticket.reference if ticket else None, ticket.category if ticket else None,
                   ticket.queue if ticket else None, mail.message_id if mail else None)


def _finish(row: InboundMail, action: str, reason: str | None, ticket: Ticket | None, mail) -> Outcome:
    row.action, row.reason = action, reason
    if ticket is not None:
        row.ticket_id = ticket.id
    db.session.commit()
    return Outcome(action, reason, ticket.reference if ticket else None, ticket.category if ticket else None,
                   ticket.queue if ticket else None, mail.message_id if mail else None)


def _reject(raw: bytes, mailbox: str | None, reason: str, mail: parse.ParsedMail | None = None) -> Outcome:
    """Keep the raw bytes of what we could not take, once, with the reason (the review list shows it)."""
    digest = hashlib.sha256(raw).hexdigest()
    key, box = f"<sha256.{digest}@rejected.invalid>", (mailbox or "").lower()[:320]
    exists = db.session.scalar(select(InboundMail.id).where(InboundMail.message_id == key, InboundMail.mailbox == box))
    if exists is None:
        db.session.add(InboundMail(message_id=key, mailbox=box, sha256=digest, raw=raw, action="rejected",
                                   reason=reason, sender=mail.sender if mail else None,
                                   subject=(mail.subject or None) if mail else None))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
    return Outcome("rejected", reason, message_id=mail.message_id if mail else None)


def _record_twin(row: InboundMail, twin: InboundMail, mail: parse.ParsedMail) -> Outcome:
    """The same message at a second address: recorded, on the first one's ticket; never a second ticket."""
    ticket = db.session.get(Ticket, twin.ticket_id) if twin.ticket_id else None
    if ticket is None:
        return _finish(row, twin.action, f"{twin.reason or twin.action}; also received at {twin.mailbox}", None, mail)
    db.session.add(Event(ticket=ticket, actor=mail.sender or "system", action="mail-copy",
                         data={"mailbox": row.mailbox, "also_at": twin.mailbox, "message_id": mail.message_id}))
    return _finish(row, "appended", f"same message as received at {twin.mailbox}; recorded on its ticket",
                   ticket, mail)


def _ignore(row: InboundMail, mail: parse.ParsedMail, reason: str) -> Outcome:
    """Automated mail: kept for review with the reason; a bounce of our own mail is noted on its ticket."""
    ticket = thread.bounced_ticket(row.raw) if ("bounce" in reason or "receipt" in reason) else None
    if ticket is not None:
        db.session.add(Event(ticket=ticket, actor="system", action="bounce",
                             data={"reason": reason, "from": mail.sender, "subject": mail.subject}))
        reason = f"{reason}; noted on {ticket.reference}"
    return _finish(row, "ignored", reason, ticket, mail)


def _uploads(mail: parse.ParsedMail) -> list[Upload]:
    return [Upload(p.name, p.data, p.content_type) for p in mail.parts]


def _append(row: InboundMail, mail: parse.ParsedMail, ticket: Ticket, now: datetime) -> Outcome:
    row.action, row.reason = "appended", f"reply to {ticket.reference}"

    def add(uploads, body):
        intake.add_customer_message(ticket, body, uploads, now=now, sender=mail.sender, body_html=mail.html,
                                    inbound=row)
    _with_uploads(add, row, mail)
    return _linked(row, ticket, mail)


def _open(row: InboundMail, mail: parse.ParsedMail, box: mailboxes.Mailbox, now: datetime) -> Outcome:
    draft = _draft(mail, box, now)
    row.action = "created"
    row.reason = None if draft.acknowledge else "not acknowledged: rate limit for this sender reached"
    created = []
    _with_uploads(lambda uploads, body: created.append(
        intake.open_ticket(replace(draft, body=body), uploads, now=now, inbound=row)), row, mail)
    return _linked(row, created[0], mail)


def _with_uploads(call, row: InboundMail, mail: parse.ParsedMail) -> None:
    """Call with every file; if files are refused, again without them (the raw mail keeps them) and say so."""
    body = mail.text or mail.subject or ""
    try:
        call(_uploads(mail), body)
    except PhotoRejected as exc:
        db.session.rollback()
        db.session.add(row)
        note = "; ".join(r.message for r in exc.rejections)
        row.reason = "; ".join(filter(None, [row.reason, f"files not stored: {note}"]))
        call([], f"{body}\n\n[{note}]")


def _linked(row: InboundMail, ticket: Ticket, mail: parse.ParsedMail) -> Outcome:
    """The service committed ticket and row together; link them if it did not."""
    if row.ticket_id != ticket.id:
        row.ticket_id = ticket.id
        db.session.commit()
    return Outcome(row.action, row.reason, ticket.reference, ticket.category, ticket.queue, mail.message_id)


def _draft(mail: parse.ParsedMail, box: mailboxes.Mailbox, now: datetime) -> intake.Draft:
    """A new request from a mail: category by content (the mailbox as prior), language, order numbers."""
    shown = textify.trim(mail.text)
    market = current_app.extensions["markets"][box.market]
    orders = classify.order_numbers(f"{mail.subject}\n{shown}")
    return intake.Draft(
        market=box.market, language=classify.language(f"{mail.subject}\n{shown}") or market.language,
        channel="email", category=classify.classify(mail.subject, shown, box.queue),
        subject=(mail.subject or shown[:80] or "(no subject)")[:300], body=mail.text,
        customer_email=mail.sender, customer_name=(mail.sender_name or None) and mail.sender_name[:200],
        order_numbers=", ".join(orders)[:300] or None, queue=box.queue, body_html=mail.html,
        acknowledge=notify.may_acknowledge(mail.sender, now))
