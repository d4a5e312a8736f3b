"""Tickets and what hangs off them: messages, attachments (photos), audit events, the reference sequence."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..clock import utcnow
from ..outbox.models import OutboxMail

CATEGORIES = ("cancellation", "damage", "stuck-order", "other")
STATUSES = ("new", "open", "pending", "resolved", "closed")
OPEN_STATUSES = ("new", "open", "pending")
PRIORITIES = ("urgent", "high", "normal", "low")
CHANNELS = ("web", "email")


class TicketCounter(db.Model):
    """One row per market: the last reference number handed out (SE-000123)."""
    market: Mapped[str] = mapped_column(String(2), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class Ticket(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)       # "SE-000123"
    secret: Mapped[str] = mapped_column(String(64))                       # for the customer's status link
    market: Mapped[str] = mapped_column(String(2))                        # "se" | "no"
    language: Mapped[str] = mapped_column(String(2))                      # "sv" | "nb" | "en"
    channel: Mapped[str] = mapped_column(String(8))                       # "web" | "email"
    category: Mapped[str] = mapped_column(String(16))
    queue: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(10), default=lambda: "new")
    priority: Mapped[str] = mapped_column(String(8), default=lambda: "normal")
    subject: Mapped[str] = mapped_column(String(300))
    customer_email: Mapped[str] = mapped_column(String(320))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    customer_number: Mapped[str | None] = mapped_column(String(50))
    order_numbers: Mapped[str | None] = mapped_column(String(300))        # comma-separated, as given
    details: Mapped[dict] = mapped_column(JSON, default=dict)             # request-type fields (received_at, status shown ...)
    delivered_at: Mapped[datetime | None]                                 # damage: when the delivery was received (UTC)
    damage_late: Mapped[bool | None]                                      # damage reported > 24 h after delivery
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    due_at: Mapped[datetime | None]                                       # the running target's due time (UTC)
    # the service-level clock (tickets/sla.py), kept in step by every operation: which target decides due_at,
    # how it stood at the last change (running | paused | met | missed) and when that target started
    sla_target: Mapped[str | None] = mapped_column(String(10))           # "first" | "next" | "resolution"
    sla_state: Mapped[str | None] = mapped_column(String(10))
    sla_started_at: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    version: Mapped[int] = mapped_column(default=1)                       # optimistic locking for agent edits

    messages: Mapped[list[Message]] = relationship(back_populates="ticket", order_by="Message.id",
                                                   cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="ticket", order_by="Attachment.id",
                                                         cascade="all, delete-orphan")
    events: Mapped[list[Event]] = relationship(back_populates="ticket", order_by="Event.id",
                                               cascade="all, delete-orphan")
    assignee = relationship("Agent")
    # mail queued about a new ticket, added here so that the ticket and its acknowledgement are written in one
    # flush; never loaded (the outbox is read by its own queries), and deleting a ticket leaves them to the database.
    # Not write_only: that builds a SELECT each time the attribute is read, a third of the acknowledgement's time
    outbox: Mapped[list[OutboxMail]] = relationship(lazy="raise", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}
    # the queue views' indexes are declared with them, in agent/models.py
    __table_args__ = (Index("ix_ticket_customer_email", "customer_email"),)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<Ticket {self.reference} {self.category}/{self.queue} {self.status}>"


class Message(db.Model):
    """One entry of a ticket's thread: from the customer, an agent's reply (mailed) or an internal note."""
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))                          # "customer" | "reply" | "note"
    author_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id"))
    sender: Mapped[str | None] = mapped_column(String(320))               # e-mail address of a customer message
    body_text: Mapped[str] = mapped_column(Text, default=str)             # full text, as received
    body_html: Mapped[str | None] = mapped_column(Text)                   # sanitised HTML of a mail, for display
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mail.id"))
    mail_message_id: Mapped[str | None] = mapped_column(String(998))    # the Message-ID it came in: replies thread under it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")
    author = relationship("Agent")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="message", order_by="Attachment.id")

    @property
    def public(self) -> bool:
        return self.kind != "note"

    def __repr__(self) -> str:
        return f"<Message {self.id} {self.kind} on {self.ticket_id}>"


class Attachment(db.Model):
    """A stored file (photo or other attachment): kept under a random name, never the client's."""
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    original_name: Mapped[str] = mapped_column(String(255))               # shown only, never used as a path
    stored_name: Mapped[str] = mapped_column(String(100))                 # "<ref>/<uuid>.jpg" under UPLOAD_DIR
    thumb_name: Mapped[str | None] = mapped_column(String(100))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None]
    height: Mapped[int | None]
    taken_at: Mapped[datetime | None]                                      # EXIF capture time, kept as evidence
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="attachments")
    message: Mapped[Message | None] = relationship(back_populates="attachments")

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")


class Event(db.Model):
    """Audit row: who changed what on a ticket, and when."""
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id"))
    actor: Mapped[str] = mapped_column(String(320))                       # "customer", "system", an agent's e-mail
    action: Mapped[str] = mapped_column(String(40))                       # "created", "status", "assigned", ...
    data: Mapped[dict] = mapped_column(JSON, default=dict)                # {"from": ..., "to": ...}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="events")

    def __repr__(self) -> str:
        return f"<Event {self.action} on {self.ticket_id} by {self.actor}>"
