"""Staff accounts: agents and admins (customers never log in)."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..clock import utcnow
from ..tickets.models import Ticket

ROLES = ("agent", "admin")
# what agents can be told about (support/notifications/); each agent picks theirs
NOTIFY_KINDS = ("urgent", "customer_reply", "assigned", "breach_warning", "escalation")


class Agent(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(10), default=lambda: "agent")
    markets: Mapped[str] = mapped_column(String(20), default=lambda: "se,no")      # comma-separated market codes
    languages: Mapped[str] = mapped_column(String(20), default=lambda: "sv,nb,en")
    active: Mapped[bool] = mapped_column(default=True)
    # what the agent works and wants to hear about (support/notifications/): queues "" means every queue
    queues: Mapped[str] = mapped_column(String(200), default=lambda: "", server_default="")
    notify: Mapped[str] = mapped_column(String(120), default=lambda: ",".join(NOTIFY_KINDS),
                                        server_default=",".join(NOTIFY_KINDS))
    notify_off_hours: Mapped[bool] = mapped_column(default=False, server_default=text("false"))  # mail when closed
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

    @property
    def queue_names(self) -> tuple[str, ...]:
        """The queues the agent works; empty: all of them."""
        return tuple(q for q in self.queues.split(",") if q)

    def works(self, market: str, queue: str) -> bool:
        return market in self.market_codes and (not self.queue_names or queue in self.queue_names)

    def wants(self, kind: str) -> bool:
        return kind in self.notify.split(",")

    @property
    def language(self) -> str:
        """The language mail to the agent is written in: their first market's, if they read it, else the first
        they read (a Norwegian agent with the default "sv,nb,en" gets Norwegian)."""
        read = [code for code in self.languages.split(",") if code]
        home = {"se": "sv", "no": "nb"}.get(self.market_codes[0] if self.market_codes else "")
        return home if home in read else (read[0] if read else "en")

    def __repr__(self) -> str:
        return f"<Agent {self.email} {self.role}>"


class SecondFactor(db.Model):
    """An agent's authenticator-app secret (TOTP, RFC 6238); unconfirmed until the agent has typed one code.

    The secret is stored as the app needs it to compute codes: whoever can read this table can read the
    tickets too, and a key derived from SECRET_KEY would tie every enrolment to that key's rotation.
    """
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))                 # base32
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    last_step: Mapped[int | None]     # the last 30-second time-step whose code was accepted: no code works twice

    def __repr__(self) -> str:
        return f"<SecondFactor agent={self.agent_id} {'confirmed' if self.confirmed_at else 'pending'}>"


class RecoveryCode(db.Model):
    """One single-use recovery code, stored as its SHA-256 (the codes are 80 random bits, shown once)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<RecoveryCode agent={self.agent_id} {'used' if self.used_at else 'unused'}>"


class SignInFailure(db.Model):
    """Failed sign-in steps from one client address for one typed e-mail address (existing or not)."""
    __table_args__ = (UniqueConstraint("client", "account", name="uq_sign_in_failure_client_account"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(64))
    account: Mapped[str] = mapped_column(String(320))               # lower-cased
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<SignInFailure {self.account} from {self.client}: {self.failures}>"


# --- indexes on the ticket table for the agent workspace (declared here: the queue views and search own them) ---
# Partial indexes over open tickets only, ordered like the queue views (due_at, id), so a keyset page is one
# index seek on SQLite and PostgreSQL alike. The literal WHERE must match the queries' OPEN_SQL term exactly:
# SQLite uses a partial index only when the query repeats its condition.
# The page filters' columns follow the sort key, so both engines test a filter in the index entry and read the
# ticket row only for the tickets shown: a filter that matches few tickets walks index entries (about 10 ms per
# 100,000) instead of reading every ticket in due order (0.2-2.8 s at 1,000,000 tickets, bench/queue_view.py).
OPEN_SQL = "status IN ('new', 'open', 'pending')"
_open = {"sqlite_where": text(OPEN_SQL), "postgresql_where": text(OPEN_SQL)}
_filters = (Ticket.market, Ticket.category, Ticket.language, Ticket.assignee_id)
Index("ix_ticket_open_due", Ticket.due_at, Ticket.id, Ticket.queue, *_filters, **_open)
Index("ix_ticket_open_queue_due", Ticket.queue, Ticket.due_at, Ticket.id, *_filters, **_open)
Index("ix_ticket_open_assignee_due", Ticket.assignee_id, Ticket.due_at, Ticket.id, **_open)
Index("ix_ticket_status_due", Ticket.status, Ticket.due_at, Ticket.id, Ticket.queue, *_filters)  # "waiting", status
Index("ix_ticket_open_queue_market", Ticket.queue, Ticket.market, **_open)              # counts per queue (covering)
# search: prefix matches on lower-cased e-mail and company, the order numbers as given
Index("ix_ticket_email_lower", func.lower(Ticket.customer_email))
Index("ix_ticket_company_lower", func.lower(Ticket.company))
Index("ix_ticket_order_numbers", Ticket.order_numbers)
