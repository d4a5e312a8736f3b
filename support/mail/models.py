"""Mail as stored: every inbound message's raw bytes, and the durable outbox of mail to send."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..clock import utcnow


class InboundMail(db.Model):
    """One message as received at one of our addresses; the same message at two addresses is two rows."""
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998))                  # Message-ID, or a digest when missing
    mailbox: Mapped[str] = mapped_column(String(320))                     # the intake address it arrived at
    sha256: Mapped[str] = mapped_column(String(64))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    sender: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(998))
    action: Mapped[str] = mapped_column(String(10))                       # created | appended | ignored | rejected
    reason: Mapped[str | None] = mapped_column(Text)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # added by the mail work: the digest without trace headers (the same message relayed twice has the same
    # one), and the new part of the text (quoted history and signature trimmed) for display
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    display_text: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("message_id", "mailbox", name="uq_inbound_mail_message_mailbox"),
                      Index("ix_inbound_mail_message_id", "message_id"))


class OutboxMail(db.Model):
    """A mail to send, written in the same transaction as the change that causes it; the worker sends it."""
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))                         # "acknowledgement" | "reply" | ...
    message_id: Mapped[str] = mapped_column(String(998), unique=True)     # our own Message-ID, signed
    sender: Mapped[str] = mapped_column(String(320))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(998))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)             # In-Reply-To, References, Auto-Submitted ...
    status: Mapped[str] = mapped_column(String(10), default=lambda: "pending")   # pending | sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    ticket = relationship("Ticket")

    __table_args__ = (Index("ix_outbox_mail_due", "status", "next_attempt_at"),)
