"""What agents are told (the in-app list and its mail), and which service-level alerts have been raised."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db


class Notification(db.Model):
    """One thing one agent is told about a ticket: listed in the app until read, and mailed (gathered)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"))
    kind: Mapped[str] = mapped_column(String(20))          # agent.models.NOTIFY_KINDS
    data: Mapped[dict] = mapped_column(JSON, default=dict)  # {"target": "first", "due": ISO} for alerts
    mail: Mapped[str] = mapped_column(String(8))            # "due" (to mail) | "sent" | "off" (the agent's choice)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    mailed_at: Mapped[datetime | None]

    ticket = relationship("Ticket")
    agent = relationship("Agent")

    __table_args__ = (Index("ix_notification_agent_read", "agent_id", "read_at", "id"),
                      Index("ix_notification_mail", "mail", "agent_id", "id"))


class SlaAlert(db.Model):
    """A service-level alert raised once: per ticket, target (identified by when it started) and kind.

    The unique constraint is what makes the breach check exactly-once with any number of workers: the second
    INSERT of the same alert waits for the first to commit and then does nothing (ON CONFLICT DO NOTHING).
    """
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"))
    target: Mapped[str] = mapped_column(String(10))        # "first" | "next" | "resolution"
    started_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(12))          # "warning" | "escalation"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("ticket_id", "target", "started_at", "kind", name="uq_sla_alert_once"),)
