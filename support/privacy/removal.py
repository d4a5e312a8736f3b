"""What an erasure or a retention run removes, as row ids and file names, and the one function that removes it.

Erasure and retention share this: each first builds a Removal (the dry run prints it), then `apply` deletes and
anonymises exactly those rows and files. Rows go by DELETE/UPDATE statements on ids, so what is applied is what
was reported. Tickets are anonymised, not deleted: the overview and the service-level figures count them.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field, fields

from flask import current_app
from sqlalchemy import delete, update

from ..clock import utcnow
from ..extensions import db
from ..faq.models import FaqVote
from ..mail.models import AllowedSender, InboundMail
from ..outbox.models import OutboxMail
from ..tickets import photos
from ..tickets.models import Attachment, Event, Message, Ticket
from .models import PrivacyLog

ERASED_DOMAIN = "erased.invalid"     # .invalid can never receive mail (RFC 2606)
ERASED_SUBJECT = "[erased]"


@dataclass
class Removal:
    """Row ids per table and stored file names; `tickets` and `events` are anonymised, the rest deleted."""
    tickets: list[int] = field(default_factory=list)
    messages: list[int] = field(default_factory=list)
    attachments: list[int] = field(default_factory=list)
    files: list[str] = field(default_factory=list)        # stored names under UPLOAD_DIR, thumbnails included
    inbound_mail: list[int] = field(default_factory=list)
    outbox_mail: list[int] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    faq_votes: list[int] = field(default_factory=list)
    allowed_senders: list[int] = field(default_factory=list)   # the loop guard's allow-list holds addresses

    def counts(self) -> dict[str, int]:
        return {f.name: len(getattr(self, f.name)) for f in fields(self)}

    def ids(self) -> dict[str, list]:
        """What the audit keeps: row ids (no content); file names are random and carry nothing of the person."""
        return {f.name: sorted(getattr(self, f.name)) for f in fields(self)}

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())

    def add(self, other: Removal) -> None:
        for f in fields(self):
            mine = getattr(self, f.name)
            mine.extend(x for x in getattr(other, f.name) if x not in mine)


def files_of(attachments: list[Attachment]) -> list[str]:
    return [name for a in attachments for name in (a.stored_name, a.thumb_name) if name]


def apply(removal: Removal, *, action: str, actor: str) -> PrivacyLog:
    """Remove what `removal` lists, record the audit row, commit. Files go before the commit, so a failed
    commit leaves rows whose files are already gone; running again finishes the job (missing files are fine)."""
    _delete(Attachment, removal.attachments)
    if removal.inbound_mail:        # messages kept (on other tickets) lose only the link to the raw mail
        db.session.execute(update(Message).where(Message.inbound_id.in_(removal.inbound_mail))
                           .values(inbound_id=None))
    _delete(Message, removal.messages)
    _delete(InboundMail, removal.inbound_mail)
    _delete(OutboxMail, removal.outbox_mail)
    _delete(FaqVote, removal.faq_votes)
    _delete(AllowedSender, removal.allowed_senders)
    if removal.events:              # the audit trail keeps who did what and when, not what it said
        events = Event.id.in_(removal.events)
        db.session.execute(update(Event).where(events, Event.agent_id.is_(None))   # actor may be the sender
                           .values(data={}, actor="customer").execution_options(synchronize_session=False))
        db.session.execute(update(Event).where(events, Event.agent_id.is_not(None))
                           .values(data={}).execution_options(synchronize_session=False))
    for ticket_id in removal.tickets:
        _anonymise(ticket_id)
    entry = PrivacyLog(action=action, actor=actor, counts=removal.counts(), ids=removal.ids(), created_at=utcnow())
    db.session.add(entry)
    db.session.flush()
    _remove_files(removal.files)
    db.session.commit()
    return entry


def _delete(model, ids: list[int]) -> None:
    if ids:
        db.session.execute(delete(model).where(model.id.in_(ids)).execution_options(synchronize_session=False))


def _anonymise(ticket_id: int) -> None:
    """Identity fields and free text go; market, queue, category, status and the times stay, for the figures.
    A new secret ends the customer's status link; the version bump makes an agent's open form conflict."""
    db.session.execute(
        update(Ticket).where(Ticket.id == ticket_id)
        .values(customer_email=f"erased-{ticket_id}@{ERASED_DOMAIN}", customer_name=None, company=None, phone=None,
                customer_number=None, order_numbers=None, subject=ERASED_SUBJECT, details={},
                secret=secrets.token_urlsafe(32), version=Ticket.version + 1)
        .execution_options(synchronize_session=False))


def _remove_files(names: list[str]) -> None:
    upload_dir = current_app.config["UPLOAD_DIR"]
    folders = set()
    for name in names:
        path = photos.path_of(name, upload_dir)
        path.unlink(missing_ok=True)
        folders.add(path.parent)
    for folder in folders:          # a ticket's folder is named by its reference: drop it once empty
        try:
            folder.rmdir()
        except OSError:
            pass
