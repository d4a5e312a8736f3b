"""Inbound mail as stored: every message's raw bytes and what the intake made of it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..clock import utcnow
from ..tickets.models import Message, Ticket


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

    # held mail (ignored or rejected) as an agent settled it: "released" into a ticket or "dismissed"
    review: Mapped[str | None] = mapped_column(String(10))
    reviewed_by: Mapped[str | None] = mapped_column(String(320))
    reviewed_at: Mapped[datetime | None]

    # set by the intake on a new ticket before anything is flushed, so that the mail, its ticket and the ticket's
    # first message are written in one flush (the ids are not known before it). A new mail's `messages` start
    # empty without a query; held mail released by an agent reads its (empty) list once. Not write_only: that
    # builds a SELECT each time the attribute is read
    ticket: Mapped[Ticket | None] = relationship(lazy="raise")
    messages: Mapped[list[Message]] = relationship(passive_deletes=True)

    __table_args__ = (UniqueConstraint("message_id", "mailbox", name="uq_inbound_mail_message_mailbox"),
                      Index("ix_inbound_mail_message_id", "message_id"),
                      Index("ix_inbound_mail_held", "action", "review", "received_at"))


class AllowedSender(db.Model):
    """A sender whose mail the loop guard never holds for its headers (a mail client that adds Precedence: bulk)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(320), unique=True)        # lower-case
    added_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
