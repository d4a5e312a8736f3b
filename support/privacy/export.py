"""Export on request (GDPR art. 15 and 20): a ZIP of what is stored of one e-mail address.

tickets.json holds the person's tickets with their threads (agents' replies and internal notes included: they
are about the person; messages other senders put on the ticket are left out), and the person's messages on
other tickets; files/ holds the files of those messages; mail/ the raw mails sent from the address.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..mail.models import InboundMail
from ..tickets import photos
from ..tickets.models import Attachment, Message, Ticket
from .erase import normalised
from .models import PrivacyLog

TICKET_FIELDS = ("reference", "market", "language", "channel", "category", "queue", "status", "priority", "subject",
                 "customer_email", "customer_name", "company", "phone", "customer_number", "order_numbers",
                 "details", "delivered_at", "created_at", "resolved_at")


def _iso(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _safe(name: str) -> str:
    """A client's file name as a ZIP member name: no folders, nothing a unzip tool would read as a path."""
    return re.sub(r"[^\w.\- ]", "_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(". ") or "file"


def _is_theirs(message: Message, address: str) -> bool:
    return message.kind != "customer" or (message.sender or "").lower() == address


def build(email: str, *, actor: str) -> tuple[bytes, dict[str, int]]:
    """The ZIP's bytes and what it holds (counts); the export is recorded in the privacy log (counts, ids)."""
    address = normalised(email)
    tickets = list(db.session.scalars(select(Ticket).where(func.lower(Ticket.customer_email) == address)
                                      .order_by(Ticket.id)))
    elsewhere = list(db.session.scalars(select(Message).where(
        func.lower(Message.sender) == address, Message.ticket_id.notin_([t.id for t in tickets])).order_by(Message.id)))
    mails = list(db.session.scalars(select(InboundMail).where(func.lower(InboundMail.sender) == address)
                                    .order_by(InboundMail.id)))
    out, files = io.BytesIO(), []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        document = {"email": address, "tickets": [], "messages_on_other_tickets": []}
        for ticket in tickets:
            entry = {name: _iso(getattr(ticket, name)) for name in TICKET_FIELDS}
            messages = [m for m in ticket.messages if _is_theirs(m, address)]
            entry["messages"] = [_message(m, archive, files) for m in messages]
            loose = [a for a in ticket.attachments if a.message_id is None]
            entry["files"] = [_file(a, archive, files) for a in loose]
            document["tickets"].append(entry)
        document["messages_on_other_tickets"] = [_message(m, archive, files) for m in elsewhere]
        document["raw_mails"] = []
        for mail in mails:
            member = f"mail/{mail.id}.eml"
            archive.writestr(member, mail.raw)
            document["raw_mails"].append({"file": member, "mailbox": mail.mailbox, "subject": mail.subject,
                                          "received_at": _iso(mail.received_at), "outcome": mail.action})
        archive.writestr("tickets.json", json.dumps(document, ensure_ascii=False, indent=2))
    counts = {"tickets": len(tickets), "messages": sum(len(t["messages"]) for t in document["tickets"]) + len(elsewhere),
              "files": len(files), "raw_mails": len(mails)}
    db.session.add(PrivacyLog(action="export", actor=actor, counts=counts, ids={"tickets": [t.id for t in tickets]}))
    db.session.commit()
    return out.getvalue(), counts


def _message(message: Message, archive: zipfile.ZipFile, files: list[str]) -> dict:
    return {"id": message.id, "ticket": message.ticket.reference, "kind": message.kind, "from": message.sender,
            "at": _iso(message.created_at), "text": message.body_text,
            "files": [_file(a, archive, files) for a in message.attachments]}


def _file(attachment: Attachment, archive: zipfile.ZipFile, files: list[str]) -> dict:
    member = f"files/{attachment.ticket.reference}/{attachment.id}-{_safe(attachment.original_name)}"
    path = photos.path_of(attachment.stored_name, current_app.config["UPLOAD_DIR"])
    present = path.is_file()
    if present:
        archive.write(path, member)
        files.append(member)
    return {"name": attachment.original_name, "file": member if present else None, "type": attachment.mime_type,
            "size": attachment.size, "sha256": attachment.sha256, "taken_at": _iso(attachment.taken_at)}
