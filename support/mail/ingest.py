"""Intake of one raw message: keep it, drop duplicates and automated mail, thread it or open a ticket.

Every message's raw bytes are stored (InboundMail), whatever the outcome, in the same commit as the outcome; the
unique (message_id, mailbox) key makes a repeated delivery or fetch harmless.
"""
from __future__ import annotations

import hashlib
import zlib
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.engine import Row

from .. import clock
from ..clock import to_naive_utc
from ..extensions import db
from ..tickets import operations, readback
from ..tickets.models import Ticket
from ..tickets.photos import PhotoRejected, Upload
from . import classify, held, loopguard, mailboxes, parse, textify, thread
from .models import InboundMail

ALREADY = "already received"
RACE_ATTEMPTS = 3               # each lost race means another process stored the message: the next look finds it
MAIL_LOCKS = 0x6D61696C         # PostgreSQL: the advisory lock class of Message-IDs ("mail"), apart from fetch.py's


class _Raced(Exception):
    """Another process stored the same message after this one looked for it: it is to be taken again."""


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
    with readback.kept():          # the outcome reads only what the intake wrote itself
        for _attempt in range(RACE_ATTEMPTS - 1):
            try:
                return _ingest(raw, mailbox, now or clock.now())
            except _Raced:         # rolled back: now the stored message answers (a copy, or already received)
                db.session.rollback()
        return _ingest(raw, mailbox, now or clock.now())


def _ingest(raw: bytes, mailbox: str | None, now: datetime) -> Outcome:
    try:
        mail = parse.parse(raw, max_bytes=current_app.config["MAIL_MAX_BYTES"])
    except parse.MalformedMail as exc:
        box = mailboxes.pick(exc.mail.recipients, mailbox) if exc.mail else None
        return _reject(raw, box.address if box else mailbox, str(exc), exc.mail)
    box = mailboxes.pick(mail.recipients, mailbox)
    if box is None:
        wanted = mailbox or ", ".join(mail.recipients[:3]) or "no recipient"
        return _reject(raw, mailbox, f"not addressed to one of our mailboxes ({wanted})", mail)
    key, earlier, twin = _dedupe_key(mail, box.address)
    if key is None:
        return _outcome("ignored", ALREADY, earlier, mail)
    row = InboundMail(message_id=key, mailbox=box.address, sha256=mail.raw_sha256, raw=raw,
                      content_sha256=mail.content_sha256, sender=mail.sender, subject=mail.subject or None,
                      action="rejected", display_text=textify.trim(mail.text))
    db.session.add(row)
    try:
        return _decide(row, mail, box, now, twin)
    except IntegrityError:     # the same message committed meanwhile by another process: it is handled
        db.session.rollback()
        return Outcome("ignored", ALREADY, message_id=mail.message_id)


def _decide(row: InboundMail, mail: parse.ParsedMail, box: mailboxes.Mailbox, now: datetime,
            twin: Row | None) -> Outcome:
    if twin is not None:
        return _record_twin(row, twin, mail)
    own = mailboxes.own_addresses()
    reason = loopguard.automated_reason(mail, own)
    if reason and held.is_allowed(mail.sender):      # the allow-list is asked only about mail it would hold
        reason = loopguard.automated_reason(mail, own, allowed=True)
    if reason:
        return _ignore(row, mail, reason)
    if not mail.sender:
        return _finish(row, "rejected", "no sender address to answer", None, mail)
    ticket = thread.find_ticket(mail)
    if ticket is not None:
        return _append(row, mail, ticket, now)
    return _open(row, mail, box, now)


def release(row: InboundMail, agent, *, now: datetime | None = None) -> Outcome:
    """An agent's "make a ticket" of held mail: the normal intake, threading included, without the loop guard
    and without an acknowledgement (the mail looked automated; the agent answers it). Audited on the ticket."""
    now = now or clock.now()
    if row.review is not None or row.action not in held.HELD_ACTIONS:
        raise held.ReviewRefused("already settled")
    try:
        mail = parse.parse(row.raw, max_bytes=current_app.config["MAIL_MAX_BYTES"])
    except parse.MalformedMail as exc:
        raise held.ReviewRefused(f"cannot be read as a message: {exc}") from None
    box = mailboxes.configured().get(row.mailbox)
    if box is None or not mail.sender:
        raise held.ReviewRefused("not addressed to one of our mailboxes" if box is None else "no sender address")
    was, ticket = row.reason, thread.find_ticket(mail)
    if ticket is not None:
        outcome = _append(row, mail, ticket, now)
    else:
        outcome = _open(row, mail, box, now, released_by=agent, held_for=was)
        ticket = db.session.scalar(select(Ticket).where(Ticket.reference == outcome.ticket))
    # set again after the intake's commit: a refused file rolls the session back, and this row was stored before
    row.action, row.reason, row.ticket_id = outcome.action, outcome.reason, ticket.id
    row.review, row.reviewed_by, row.reviewed_at = "released", agent.email, to_naive_utc(now)
    operations.note_released(ticket, agent=agent, reason=was, mailbox=row.mailbox)   # commits the row too
    return outcome


def _dedupe_key(mail: parse.ParsedMail, mailbox: str) -> tuple[str | None, Row | None, Row | None]:
    """(row key, None, twin) for a message new at this mailbox, where the twin is the same message as received at
    another of our addresses, if it was; (None, earlier row, None) when it was received here before (the rows:
    id, message_id, mailbox, content_sha256, ticket_id, action, reason of the stored mail).

    A missing Message-ID is replaced by a digest; a Message-ID reused for other content gets the digest appended,
    so a sender that reuses IDs is not silently dropped. One query reads every row under either key (not the raw
    bytes), for all three answers.
    """
    key = mail.message_id if mail.message_id and len(mail.message_id) <= 900 else None
    key = key or f"<sha256.{mail.content_sha256}@digest.invalid>"
    candidates = (key, f"{key}#{mail.content_sha256[:16]}")
    rows = db.session.connection().execute(_STORED_UNDER, {"keys": candidates}).all()
    earlier = None
    for candidate in candidates:
        same_id = [r for r in rows if r.message_id == candidate]
        earlier = next((r for r in same_id if r.mailbox == mailbox), None)
        if earlier is None:
            twin = next((r for r in same_id if r.content_sha256 == mail.content_sha256), None)
            return candidate, None, twin
        if earlier.content_sha256 in (None, mail.content_sha256):
            return None, earlier, None
    return None, earlier, None


_t = InboundMail.__table__.c           # plain rows with the columns the answers need: no objects to build
# built once (every message asks); run on the session's connection, as nothing is pending yet to autoflush
_STORED_UNDER = (select(_t.id, _t.message_id, _t.mailbox, _t.content_sha256, _t.ticket_id, _t.action, _t.reason)
                 .where(_t.message_id.in_(bindparam("keys", expanding=True))).order_by(_t.id))


def _ticket_of(row: InboundMail | Row) -> Ticket | None:
    """The ticket a stored mail went to, or the one that ticket was merged into since."""
    ticket = db.session.get(Ticket, row.ticket_id) if row.ticket_id else None
    return thread.follow_merges(ticket) if ticket else None


def _outcome(action: str, reason: str | None, earlier: Row | None, mail) -> Outcome:
    ticket = _ticket_of(earlier) if earlier is not None else None
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


def _record_twin(row: InboundMail, twin: Row, mail: parse.ParsedMail) -> Outcome:
    """The same message at a second address: recorded, on the first one's ticket; never a second ticket."""
    ticket = _ticket_of(twin)
    if ticket is None:
        return _finish(row, twin.action, f"{twin.reason or twin.action}; also received at {twin.mailbox}", None, mail)
    row.action, row.reason = "appended", f"same message as received at {twin.mailbox}; recorded on its ticket"
    row.ticket_id = ticket.id
    operations.note_mail_copy(ticket, sender=mail.sender, mailbox=row.mailbox, also_at=twin.mailbox,
                              message_id=mail.message_id)
    return _outcome_of(row, ticket, mail)


def _ignore(row: InboundMail, mail: parse.ParsedMail, reason: str) -> Outcome:
    """Automated mail: kept for review with the reason; a bounce of our own mail is noted on its ticket."""
    ticket = thread.bounced_ticket(row.raw) if ("bounce" in reason or "receipt" in reason) else None
    if ticket is None:
        return _finish(row, "ignored", reason, None, mail)
    row.action, row.reason, row.ticket_id = "ignored", f"{reason}; noted on {ticket.reference}", ticket.id
    operations.note_bounce(ticket, reason=reason, sender=mail.sender, subject=mail.subject)
    return _outcome_of(row, ticket, mail)


def _uploads(mail: parse.ParsedMail) -> list[Upload]:
    return [Upload(p.name, p.data, p.content_type) for p in mail.parts]


def _append(row: InboundMail, mail: parse.ParsedMail, ticket: Ticket, now: datetime) -> Outcome:
    row.action, row.reason, row.ticket_id = "appended", f"reply to {ticket.reference}", ticket.id

    def add(uploads, body):
        operations.add_customer_message(ticket, body, uploads, now=now, sender=mail.sender, body_html=mail.html,
                                        inbound_id=_row_id(row), mail_message_id=row.message_id)
    _with_uploads(add, row, mail)
    return _outcome_of(row, ticket, mail)


def _open(row: InboundMail, mail: parse.ParsedMail, box: mailboxes.Mailbox, now: datetime,
          released_by=None, held_for: str | None = None) -> Outcome:
    draft = _draft(mail, box, now)
    row.action, row.reason = "created", None
    if released_by is not None:         # it looked automated: an agent answers it, not an acknowledgement
        draft = replace(draft, acknowledge=False)
        row.reason = f"released from held mail by {released_by.email} (held for: {held_for})"
    def link(ticket: Ticket) -> None:
        """In the ticket's own flush and commit (not a second one): the row points at the ticket, its first
        message at the row, and the row says why the ticket was not acknowledged, if so."""
        skipped = [e.data.get("reason") for e in ticket.events if e.action == "acknowledgement-skipped"]
        if skipped:                     # the per-address limit, or no address to answer from: say so on the row
            row.reason = "; ".join(filter(None, [row.reason, f"not acknowledged: {skipped[0]}"]))
        if released_by is None:
            _still_first(row, mail)
        row.ticket = ticket
        row.messages.append(ticket.messages[0])
        created[:] = [ticket]

    created: list[Ticket] = []
    _with_uploads(lambda uploads, body: operations.open_ticket(
        replace(draft, body=body, mail_message_id=row.message_id), uploads, now=now, reply_from=row.mailbox,
        before_commit=link), row, mail)
    return _outcome_of(row, created[0], mail)


def _still_first(row: InboundMail, mail: parse.ParsedMail) -> None:
    """Raise _Raced if another process stored this message (here, or at another of our addresses) since
    `_dedupe_key` looked: two processes taking one mail at once must not open two tickets. Asked while no other
    writer can store it before this commit: PostgreSQL waits here for a transaction lock on the Message-ID;
    SQLite holds its one write lock since the ticket's reference was allocated. (The row itself is there too
    when a query before flushed it.)"""
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK_MESSAGE_ID, {"k": zlib.crc32(row.message_id.encode()) & 0x7FFFFFFF})
    for stored in conn.execute(_STORED_UNDER, {"keys": [row.message_id]}):
        if stored.id != row.id and (stored.mailbox == row.mailbox or stored.content_sha256 == mail.content_sha256):
            raise _Raced(row.message_id)


_LOCK_MESSAGE_ID = text(f"SELECT pg_advisory_xact_lock({MAIL_LOCKS}, :k)")


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


def _row_id(row: InboundMail) -> int:
    db.session.flush()                  # the message of the thread records which stored mail it came in
    return row.id


def _outcome_of(row: InboundMail, ticket: Ticket, mail: parse.ParsedMail) -> Outcome:
    return Outcome(row.action, row.reason, ticket.reference, ticket.category, ticket.queue, mail.message_id)


def _draft(mail: parse.ParsedMail, box: mailboxes.Mailbox, now: datetime) -> operations.Draft:
    """A new request from a mail: category by content (the mailbox as prior), language, order numbers."""
    shown = textify.trim(mail.text)
    market = current_app.extensions["markets"][box.market]
    orders = classify.order_numbers(f"{mail.subject}\n{shown}")
    return operations.Draft(
        market=box.market, language=classify.language(f"{mail.subject}\n{shown}") or market.language,
        channel="email", category=classify.classify(mail.subject, shown, box.queue),
        subject=(mail.subject or shown[:80] or "(no subject)")[:300], body=mail.text,
        customer_email=mail.sender, customer_name=(mail.sender_name or None) and mail.sender_name[:200],
        order_numbers=", ".join(orders)[:300] or None, queue=box.queue, body_html=mail.html, question=shown)
