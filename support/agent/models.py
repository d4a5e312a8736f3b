"""Staff accounts: agents and admins (customers never log in)."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..util import utcnow

ROLES = ("agent", "admin")


class Agent(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(10), default=lambda: "agent")
    markets: Mapped[str] = mapped_column(String(20), default=lambda: "se,no")      # comma-separated market codes
    languages: Mapped[str] = mapped_column(String(20), default=lambda: "sv,nb,en")
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # part of every session's user id: a new value (support/agent/sessions.py) ends all of the agent's sessions
    session_token: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))

    def get_id(self) -> str:                      # Flask-Login's alternative id: "id:token", see sessions.py
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:                  # Flask-Login: a deactivated agent cannot sign in
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def market_codes(self) -> tuple[str, ...]:
        return tuple(m for m in self.markets.split(",") if m)

    def __repr__(self) -> str:
        return f"<Agent {self.email} {self.role}>"


# --- indexes on the ticket table for the agent workspace (declared here: the queue views and search own them) ---
# Partial indexes over open tickets only, ordered like the queue views (due_at, id), so a keyset page is one
# index seek on SQLite and PostgreSQL alike. The literal WHERE must match the queries' OPEN_SQL term exactly:
# SQLite uses a partial index only when the query repeats its condition.
from sqlalchemy import Index, func, text  # noqa: E402

from ..tickets.models import Ticket  # noqa: E402

OPEN_SQL = "status IN ('new', 'open', 'pending')"
_open = {"sqlite_where": text(OPEN_SQL), "postgresql_where": text(OPEN_SQL)}
Index("ix_ticket_open_due", Ticket.due_at, Ticket.id, **_open)
Index("ix_ticket_open_queue_due", Ticket.queue, Ticket.due_at, Ticket.id, **_open)
Index("ix_ticket_open_assignee_due", Ticket.assignee_id, Ticket.due_at, Ticket.id, **_open)
Index("ix_ticket_status_due", Ticket.status, Ticket.due_at, Ticket.id)                 # "waiting", status filters
Index("ix_ticket_open_queue_market", Ticket.queue, Ticket.market, **_open)              # counts per queue (covering)
# search: prefix matches on lower-cased e-mail and company, the order numbers as given
Index("ix_ticket_email_lower", func.lower(Ticket.customer_email))
Index("ix_ticket_company_lower", func.lower(Ticket.company))
Index("ix_ticket_order_numbers", Ticket.order_numbers)
