"""The worker's breach check: a running target about to be missed tells the agents once; a missed target of
an urgent ticket is escalated to its queue's lead once, and marked on the ticket.

"Once" is the unique constraint on sla_alert (ticket, target, its start, kind): each alert is an INSERT ... ON
CONFLICT DO NOTHING, and only the worker whose INSERT made the row tells anyone, in the same transaction. Two
workers checking at the same moment on PostgreSQL therefore send each warning exactly once.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from .. import clock, hours
from ..agent.accounts import by_email
from ..agent.models import OPEN_SQL
from ..clock import as_utc, to_naive_utc
from ..extensions import db
from ..tickets import operations
from ..tickets.models import Ticket
from . import store, triggers
from .models import SlaAlert

LOOKBACK = timedelta(days=1)          # targets breached longer ago than this were told about (or predate us)


def check(now: datetime | None = None) -> int:
    """Warn about running targets within SLA_WARNING_MINUTES of their due time, escalate urgent breaches;
    returns how many alerts this call raised (one commit per ticket, so a crash loses nothing told)."""
    now = as_utc(now or clock.now())
    raised = 0
    minutes = current_app.config["SLA_WARNING_MINUTES"]
    for code, market in current_app.extensions["markets"].items():
        horizon = to_naive_utc(hours.add_business_minutes(market, now, minutes))
        ids = db.session.scalars(
            select(Ticket.id).where(db.text(f"ticket.{OPEN_SQL}"), Ticket.market == code,
                                    Ticket.due_at <= horizon, Ticket.due_at >= to_naive_utc(now - LOOKBACK),
                                    Ticket.sla_started_at.is_not(None)).order_by(Ticket.due_at)).all()
        for ticket_id in ids:
            raised += _alert(db.session.get(Ticket, ticket_id), now)
    return raised


def _alert(ticket: Ticket, now: datetime) -> int:
    raised = 0
    if _once(ticket, "warning", now):
        people = [ticket.assignee] if ticket.assignee else triggers.workers_of(db.session, ticket.market, ticket.queue)
        for agent in people:
            store.add(db.session, agent, "breach_warning", ticket, now, target=ticket.sla_target,
                      due=ticket.due_at.isoformat())
        raised += 1
    lead = _lead(ticket)
    if ticket.priority == "urgent" and as_utc(ticket.due_at) <= now and lead and _once(ticket, "escalation", now):
        store.add(db.session, lead, "escalation", ticket, now, target=ticket.sla_target,
                  due=ticket.due_at.isoformat())
        operations.note_escalation(ticket, target=ticket.sla_target, lead=lead.email, now=now)   # commits
        return raised + 1
    db.session.commit()
    return raised


def _lead(ticket: Ticket):
    email = current_app.config["SLA_QUEUE_LEADS"].get(ticket.queue)
    return by_email(email) if email else None


def _once(ticket: Ticket, kind: str, now: datetime) -> bool:
    """Record this alert; False when it was raised before (by this worker or another)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(SlaAlert).values(ticket_id=ticket.id, target=ticket.sla_target,
                                           started_at=ticket.sla_started_at, kind=kind,
                                           created_at=to_naive_utc(now)).on_conflict_do_nothing()
    # RETURNING says whether this INSERT made the row (rowcount is not reliable for it on every driver)
    return db.session.execute(stmt.returning(SlaAlert.id)).scalar() is not None
