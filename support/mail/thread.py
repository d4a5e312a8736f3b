"""Threading: which existing ticket a message continues, if any.

Order of trust: a signed Message-ID of ours in In-Reply-To/References (or one we have on record as sent), then a
customer's own earlier message it refers to, then a `[SE-000123]` tag in the subject, the last only when the
sender is the ticket's customer or a colleague at the same company domain (a tag is easy to copy).
"""
from __future__ import annotations

from sqlalchemy import select

from .. import outbox
from ..extensions import db
from ..tickets import references
from ..tickets.models import Ticket
from .models import InboundMail
from .parse import ParsedMail

# public mail providers: two people with a gmail.com address are not colleagues
PUBLIC_DOMAINS = {"gmail.com", "googlemail.com", "hotmail.com", "hotmail.se", "hotmail.no", "outlook.com",
                  "outlook.se", "live.com", "live.se", "live.no", "msn.com", "yahoo.com", "yahoo.se", "yahoo.no",
                  "icloud.com", "me.com", "mac.com", "aol.com", "gmx.com", "gmx.net", "mail.com", "proton.me",
                  "protonmail.com", "telia.com", "online.no", "bredband.net", "spray.se", "zoho.com"}
MAX_MERGE_HOPS = 10


def find_ticket(mail: ParsedMail) -> Ticket | None:
    """The ticket this message replies to, or None for a new request."""
    ids = [*mail.in_reply_to, *reversed(mail.references)]
    ticket = _by_our_message_ids(ids) or _by_customer_message_ids(ids, mail.sender) or _by_tag(mail)
    return follow_merges(ticket) if ticket else None


def _by_reference(ref: str) -> Ticket | None:
    return db.session.scalar(select(Ticket).where(Ticket.reference == ref.upper()))


def _by_our_message_ids(ids: list[str]) -> Ticket | None:
    for mid in ids:
        ref = outbox.signed_key(mid)
        if ref and references.is_reference(ref) and (ticket := _by_reference(ref)):
            return ticket
    if ids:   # sent under an earlier SECRET_KEY: still ours if the outbox has it
        sent = db.session.scalar(select(outbox.OutboxMail.ticket_id).where(
            outbox.OutboxMail.message_id.in_(ids), outbox.OutboxMail.ticket_id.is_not(None)).limit(1))
        if sent:
            return db.session.get(Ticket, sent)
    return None


def _by_customer_message_ids(ids: list[str], sender: str | None) -> Ticket | None:
    if not ids or not sender:
        return None
    rows = db.session.scalars(select(InboundMail).where(InboundMail.message_id.in_(ids),
                                                        InboundMail.ticket_id.is_not(None))).all()
    for row in rows:
        ticket = db.session.get(Ticket, row.ticket_id)
        if ticket and same_party(sender, ticket.customer_email):
            return ticket
    return None


def _by_tag(mail: ParsedMail) -> Ticket | None:
    if not mail.sender:
        return None
    for ref in references.tags_in(mail.subject):
        ticket = _by_reference(ref)
        if ticket and same_party(mail.sender, ticket.customer_email):
            return ticket
    return None


def same_party(sender: str, customer: str | None) -> bool:
    """The ticket's customer, or a colleague at the same company domain (not a public mail provider)."""
    if not customer:
        return False
    sender, customer = sender.lower(), customer.lower()
    if sender == customer:
        return True
    domain = sender.rpartition("@")[2]
    return domain == customer.rpartition("@")[2] and domain not in PUBLIC_DOMAINS


def follow_merges(ticket: Ticket) -> Ticket:
    """The ticket itself, or the one it was merged into (and so on)."""
    for _ in range(MAX_MERGE_HOPS):
        if not ticket.merged_into_id:
            break
        ticket = db.session.get(Ticket, ticket.merged_into_id) or ticket
    return ticket


def bounced_ticket(raw: bytes) -> Ticket | None:
    """For a delivery report: the ticket of our own mail it returns (found by its signed Message-ID)."""
    for ref in outbox.sent_ids_in(raw):
        if references.is_reference(ref) and (ticket := _by_reference(ref)):
            return ticket
    return None
