"""The durable outbox: a mail to send, written in the same transaction as the change that causes it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class OutboxMail(db.Model):
    """A mail to send, written in the same transaction as the change that causes it; the worker sends it."""
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), index=True)   # the thread it belongs to
    kind: Mapped[str] = mapped_column(String(20))                         # "acknowledgement" | "reply" | ...
    message_id: Mapped[str] = mapped_column(String(998), unique=True)     # our own Message-ID, signed
    sender: Mapped[str] = mapped_column(String(320))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(998))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # files sent as MIME parts: [{"path": under UPLOAD_DIR, "filename": shown, "mime_type": ...}], read at sending
    attachments: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    headers: Mapped[dict] = mapped_column(JSON, default=dict)             # In-Reply-To, References, Auto-Submitted ...
    status: Mapped[str] = mapped_column(String(10), default=lambda: "pending")   # pending | sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


    __table_args__ = (Index("ix_outbox_mail_due", "status", "next_attempt_at"),)


# the per-address limit on acknowledgements (tickets/notify.may_acknowledge) counts one recipient's recent mail on
# every new ticket: without it, each ticket scanned the whole outbox
Index("ix_outbox_mail_recipient_lower", func.lower(OutboxMail.recipient), OutboxMail.created_at)
